using System.Net;
using System.Net.Http.Headers;
using Couriers.Api.Security;
using Couriers.Api.Tests.Support;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Couriers.Api.Tests.Security;

public sealed class SecurityTests
{
    [Fact]
    public async Task AKeyAsABearerTokenAuthenticatesLikeTheHeader()
    {
        await using var api = new CourierApiFactory();
        using var client = api.ClientWith(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.CourierSync);

        var created = await client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task AMissingKeyIsA401ProblemWithAChallengeAndAWrongKeySaysItIsNotValid()
    {
        await using var api = new CourierApiFactory();
        using var keyless = api.ClientWith(null);
        using var wrong = api.ClientWith(TestKeys.Wrong);

        var missing = await keyless.GetAsync("/couriers");
        var bad = await wrong.GetAsync("/couriers");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("Bearer", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:problem:courier-capacity:unauthorized", (await missing.Json()).Str("type"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("not valid", (await bad.Json()).Str("detail"));
        Assert.DoesNotContain(TestKeys.Wrong, await bad.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(TestKeys.Admin, "ops", "admin", null)]
    [InlineData(TestKeys.Dispatcher, "dispatcher", "dispatcher", null)]
    [InlineData(TestKeys.Driver, "driver-app-d1", "driver", TestKeys.BoundDriverId)]
    public async Task MeNamesTheCallingKeysClientRolesAndDriverButNeverTheKey(string key, string client, string role, string? driverId)
    {
        await using var api = new CourierApiFactory();
        using var caller = api.ClientWith(key);

        var me = await caller.GetAsync("/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await me.Json();
        Assert.Equal(client, body.Str("client"));
        Assert.Equal([role], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(driverId, body.GetProperty("driver_id").GetString());
        Assert.False(body.GetProperty("open").GetBoolean());
        Assert.DoesNotContain(key, await me.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MeOnAnInstanceWithoutKeysSaysItIsOpenAndAdmin()
    {
        await using var api = new CourierApiFactory().WithoutKeys();
        using var caller = api.ClientWith(null);

        var body = await (await caller.GetAsync("/me")).Json();

        Assert.True(body.GetProperty("open").GetBoolean());
        Assert.Equal(["admin"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task TwoDifferentKeysInOneRequestAreRefused()
    {
        await using var api = new CourierApiFactory();
        using var client = api.ClientWith(TestKeys.Admin);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Dispatcher);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/couriers")).StatusCode);
    }

    [Fact]
    public async Task ADriverKeyBoundToOneDriverCannotMoveAnotherDriversPackageAndNothingChanges()
    {
        await using var api = new CourierApiFactory();
        using var admin = api.CreateClient();
        await admin.Post("/drivers", """[{"id": "d1", "rules": []}, {"id": "d2", "rules": []}]""").Succeeds();
        await admin.Post("/packages", "[" + DayBuilder.Package("p1") + "," + DayBuilder.Package("p2") + "]").Succeeds();
        await admin.Post("/assign", """{"driver_ids": ["d2"], "max_per_driver": 1}""").Succeeds();
        await admin.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 1}""").Succeeds();
        using var driver = api.ClientWith(TestKeys.Driver);

        var other = await driver.Post("/update", """{"driver_id": "d2", "package_id": "p1", "status": "accepted"}""");
        var own = await driver.Post("/update", """{"driver_id": "d1", "package_id": "p2", "status": "accepted"}""");

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("urn:problem:courier-capacity:forbidden", (await other.Json()).Str("type"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var assigned = await (await admin.GetAsync("/packages?status=assigned")).Json();
        Assert.Equal(["p1", "p2"], assigned.GetProperty("data").EnumerateArray().Select(p => p.Str("package_id")));
        var d2 = await (await admin.GetAsync("/drivers/d2")).Json();
        Assert.Equal(1, d2.GetProperty("active_assignments").GetInt32());
    }

    [Fact]
    public async Task ApiAnswersCarryJsonApiSecurityHeadersErrorsIncludedAndTheDocsPageItsOwnPolicy()
    {
        await using var api = new CourierApiFactory();
        using var client = api.CreateClient();
        using var keyless = api.ClientWith(null);

        foreach (var response in new[] { await client.GetAsync("/couriers"), await keyless.GetAsync("/couriers"), await client.GetAsync("/couriers/ghost") })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal(SecurityHeadersMiddleware.ApiPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
            Assert.False(response.Headers.Contains("Server"));
        }
        var docs = await keyless.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("script-src 'self'", docs.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", docs.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task WithPublicDocsOffTheOpenApiDocumentAndTheDocsPageNeedAKey()
    {
        await using var api = new CourierApiFactory().With("Auth:PublicDocs", "false");
        using var keyless = api.ClientWith(null);
        using var reader = api.ClientWith(TestKeys.Driver);

        Assert.Equal(HttpStatusCode.Unauthorized, (await keyless.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await keyless.GetAsync("/docs/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/docs/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyless.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AClientOverItsRateGets429WithRetryAfterWhileOtherClientsAndHealthProbesGoOn()
    {
        await using var api = new CourierApiFactory().With("Limits:RateLimit:PermitLimit", "3").With("Limits:RateLimit:PermitsPerSecond", "1");
        using var dispatcher = api.ClientWith(TestKeys.Dispatcher);
        using var stuart = api.ClientWith(TestKeys.CourierSync);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) answers.Add(await dispatcher.GetAsync("/couriers"));

        // The bucket holds 3 and refills one a second: the first 3 pass, and unless these 12 requests
        // took 9 s or more, some were refused (no count tied to wall-clock speed).
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.NotEmpty(limited);
        Assert.True(int.Parse(limited[0].Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("urn:problem:courier-capacity:rate-limited", (await limited[0].Json()).Str("type"));
        Assert.Equal(HttpStatusCode.OK, (await stuart.GetAsync("/couriers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dispatcher.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task ARequestOverItsTimeoutIsCancelledWithA504Problem()
    {
        var stalled = new StallingStore();
        await using var api = new CourierApiFactory().With("Limits:RequestTimeout", "00:00:00.200")
            .WithServices(s => s.AddSingleton<ICourierStore>(stalled));
        using var client = api.CreateClient();

        var response = await client.GetAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("urn:problem:courier-capacity:timeout", (await response.Json()).Str("type"));
        Assert.True(stalled.Cancelled.Task.IsCompletedSuccessfully, $"the store call saw its cancellation ({stalled.Calls} calls)");
    }

    [Fact]
    public async Task InProductionAnUnexpectedErrorIsA500WithoutInternalMessagesOrStackTraces()
    {
        await using var api = new CourierApiFactory().InEnvironment("Production")
            .WithServices(s => s.AddSingleton<ICourierStore>(new StallingStore(new InvalidOperationException("secret-detail: db at 10.1.2.3"))));
        using var client = api.CreateClient();

        var response = await client.GetAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-detail", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
    }

    [Fact]
    public async Task TheClientNameAndKeyIdAreInTheRequestsLoggingScopeAndTheKeyIsNeverLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using var api = new CourierApiFactory().With("Logging:LogLevel:Default", "Debug").With("Logging:LogLevel:Microsoft", "Debug")
            .With("Logging:LogLevel:Microsoft.AspNetCore", "Debug").WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        using var dispatcher = api.ClientWith(TestKeys.Dispatcher);
        using var wrong = api.ClientWith(TestKeys.Wrong);

        await dispatcher.GetAsync("/couriers/lookup?capacity_required=1");
        await wrong.GetAsync("/couriers");
        await api.DisposeAsync(); // flushes what is logged after the answers ("Request finished", …)

        var executing = logs.Entries.Where(e => e.Message.Contains("Executing endpoint", StringComparison.Ordinal)).ToList();
        Assert.Contains(executing, e => Equals(e.Scope.GetValueOrDefault("Client"), "dispatcher")
            && Equals(e.Scope.GetValueOrDefault("KeyId"), ApiKeyRegistry.Hash(TestKeys.Dispatcher)[..12]));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("cc_test", StringComparison.Ordinal)
            || e.Scope.Values.Any(v => v?.ToString()?.Contains("cc_test", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task AnInstanceWithoutKeysInTestingIsOpenAndWarnsAtStartupAndOnAClientsFirstRequest()
    {
        var logs = new CapturingLoggerProvider();
        await using var api = new CourierApiFactory().WithoutKeys().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        using var keyless = api.ClientWith(null);

        var created = await keyless.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        await keyless.GetAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var warnings = logs.Entries.Where(e => e.Message.Contains("NO API KEYS ARE CONFIGURED", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings, w => w.Message.StartsWith("NO API KEYS", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Message.StartsWith("Open mode: first request from", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Auth:Keys:0:Sha256", "not-hex", "Auth:Keys:0:Sha256 must be the 64 hex digits")]
    [InlineData("Auth:Keys:0:Sha256", "abcd", "Auth:Keys:0:Sha256 must be the 64 hex digits")]
    [InlineData("Auth:Keys:0:Roles:0", "root", "Auth:Keys:0:Roles has 'root'")]
    [InlineData("Auth:Keys:0:Client", "", "Auth:Keys:0:Client must name the client")]
    [InlineData("Auth:Keys:1:DriverId", "d1", "Auth:Keys:1:DriverId binds a driver key")]
    [InlineData("Auth:Keys:3:DriverId", "d 1", "Auth:Keys:3:DriverId")]
    [InlineData("Auth:Keys:1:Sha256", "e5d3c5e1e3d3c2b1a0e5d3c5e1e3d3c2b1a0e5d3c5e1e3d3c2b1a0e5d3c5e1e3", "is configured twice")]
    [InlineData("Limits:MaxPageSize", "0", "Limits:MaxPageSize")]
    [InlineData("Limits:DefaultPageSize", "600", "Limits:DefaultPageSize must not exceed Limits:MaxPageSize")]
    [InlineData("Limits:RequestTimeout", "-00:00:01", "Limits:RequestTimeout")]
    [InlineData("Limits:RateLimit:PermitLimit", "0", "Limits:RateLimit:PermitLimit")]
    [InlineData("Limits:SmallBodyBytes", "10", "Limits:SmallBodyBytes")]
    public async Task BadSecurityConfigurationStopsStartupWithAMessageNamingTheSetting(string key, string value, string message)
    {
        await using var api = new CourierApiFactory().With(key, value);
        if (message == "is configured twice") api.With("Auth:Keys:0:Sha256", value);

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(message, error.ToString());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task OutsideDevelopmentAndTestingNoKeysStopsStartup(string environment)
    {
        await using var api = new CourierApiFactory().WithoutKeys().InEnvironment(environment);

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Auth:Keys: no API keys are configured", error.ToString());
    }

    /// <summary>A store whose reads never finish until cancelled, or fail with an exception.</summary>
    private sealed class StallingStore(Exception? failure = null) : ICourierStore
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls;

        public async Task<Courier?> GetAsync(string id, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            if (failure is not null) throw failure;
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(ct);
                return null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }

        public Task<bool> IsReadyAsync(CancellationToken ct) => Task.FromResult(true);
        public Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct) => throw new NotSupportedException();
        public Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) => throw new NotSupportedException();
        public Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct) => throw new NotSupportedException();
        public Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct) => throw new NotSupportedException();
        public Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) => throw new NotSupportedException();
        public Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct) => throw new NotSupportedException();
        public Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct) => throw new NotSupportedException();
    }
}
