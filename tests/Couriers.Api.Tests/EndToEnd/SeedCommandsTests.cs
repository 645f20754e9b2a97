using System.Net;
using System.Text.Json;
using Couriers.Testing;

namespace Couriers.Api.Tests.EndToEnd;

/// <summary>
/// The Stuart documents' two curl commands, byte for byte (so without a key), against the real server
/// process as `make run` starts it: Development without keys, open, and saying so loudly.
/// </summary>
public sealed class SeedCommandsTests
{
    [Fact]
    public async Task TheSeedsCurlCommandsCreateACourierAndFindIt()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"), withKeys: false);

        // curl -X POST http://localhost:3000/couriers --data '<this body>' (curl's default form Content-Type)
        var created = await server.Client.Send(HttpMethod.Post, "/couriers", "\n{\n  \"id\": 1234,\n  \"max_capacity\": 45\n}");
        // curl -X GET http://localhost:3000/couriers/lookup --data '<this body>'
        var found = await server.Client.Send(HttpMethod.Get, "/couriers/lookup", "\n{\n  \"capacity_required\": 45\n}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1234", (await created.Json()).Str("id"));
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var courier = Assert.Single((await found.Json()).GetProperty("data").EnumerateArray());
        Assert.Equal("1234", courier.Str("id"));
        Assert.Equal(45m, courier.Decimal("available_capacity"));
        // Logged before "Now listening"; the per-request warning is tested in-process (SecurityTests),
        // where the log is captured, not raced against the console logger's queue.
        Assert.Contains("NO API KEYS ARE CONFIGURED", server.Output);
    }

    [Fact]
    public async Task WithKeysConfiguredTheSameCurlWithoutAKeyIsRefusedWith401()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"));
        using var keyless = new HttpClient { BaseAddress = server.Address };

        var created = await keyless.Send(HttpMethod.Post, "/couriers", "\n{\n  \"id\": 1234,\n  \"max_capacity\": 45\n}");

        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
        Assert.Equal("application/problem+json", created.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/couriers/1234")).StatusCode);
        Assert.DoesNotContain("NO API KEYS ARE CONFIGURED", server.Output);
    }

    [Fact]
    public async Task ProductionWithoutKeysRefusesToStartAndSaysWhy()
    {
        using var folder = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(folder.File("couriers.db"),
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, withKeys: false);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Auth:Keys: no API keys are configured", output);
        Assert.DoesNotContain("Now listening on", output);
    }
}

/// <summary>The sample `/assign` curl (`make smoke`) against a freshly started, pre-seeded service.</summary>
public sealed class SampleAssignCurlTests
{
    [Fact]
    public async Task TheSampleAssignCurlWorksRightAfterStartup()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"), new Dictionary<string, string> { ["Seed__Enabled"] = "true" },
            withKeys: false);

        // curl -X POST http://localhost:8000/assign -H "Content-Type: application/json" -d '<this body>'
        var response = await server.Client.Send(HttpMethod.Post, "/assign", """{"driver_ids":["driver_1","driver_2"],"max_per_driver":2}""",
            contentType: "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var assignments = body.GetProperty("assignments");
        Assert.Equal(["driver_1", "driver_2"], assignments.EnumerateObject().Select(p => p.Name));
        Assert.All(assignments.EnumerateObject(), p => Assert.InRange(p.Value.GetArrayLength(), 0, 2));
        var assigned = assignments.EnumerateObject().Sum(p => p.Value.GetArrayLength());
        Assert.Equal(990 - assigned, body.GetProperty("unassigned_packages").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("unassigned_drivers").ValueKind);
    }
}
