using System.Net;
using Couriers.Testing;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Assignments;

public class UpdateApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;

    public UpdateApiTests() : this(new CourierApiFactory()) { }

    protected UpdateApiTests(CourierApiFactory api) => _api = api;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        await _client.Post("/drivers", Array([Driver("d1", maxCapacity: 500m)])).Succeeds();
        await _client.Post("/packages", Array([Package("p1", volumeM3: 0.2m), Package("p2", volumeM3: 0.1m)])).Succeeds();
        await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 2}""").Succeeds();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<HttpResponseMessage> Update(string driver, string package, string status) =>
        _client.Post("/update", $$"""{"driver_id": "{{driver}}", "package_id": "{{package}}", "status": "{{status}}"}""");

    [Fact]
    public async Task AStatusUpdateAnswers200WithTheRecord()
    {
        var response = await Update("d1", "p1", "accepted");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.Json();
        Assert.Equal("accepted", record.Str("status"));
        Assert.Equal(200m, record.Decimal("volume_liters"));
        Assert.Equal("p1", record.GetProperty("package").Str("package_id"));
    }

    [Fact]
    public async Task RepeatingTheCurrentStatusIsANoOp200() =>
        Assert.Equal(HttpStatusCode.OK, (await Update("d1", "p1", "assigned")).StatusCode);

    [Fact]
    public async Task AnUnknownPairIs404() => Assert.Equal(HttpStatusCode.NotFound, (await Update("d1", "nope", "accepted")).StatusCode);

    [Fact]
    public async Task AStatusOutsideTheListIs400NamingStatus()
    {
        var response = await Update("d1", "p1", "lost");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task AnIllegalTransitionIs409ListingTheAllowedOnes()
    {
        var response = await Update("d1", "p1", "delivered");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("assigned", problem.Str("current_status"));
        Assert.Equal(["accepted", "in_progress", "failed_to_deliver"], problem.Strings("allowed"));
    }

    [Fact]
    public async Task DeliveringReleasesThePackagesVolume()
    {
        Assert.Equal(200m, (await (await _client.GetAsync("/couriers/d1")).Json()).Decimal("available_capacity"));

        await Update("d1", "p1", "in_progress");
        await Update("d1", "p1", "delivered");

        Assert.Equal(400m, (await (await _client.GetAsync("/couriers/d1")).Json()).Decimal("available_capacity"));
        Assert.Equal(HttpStatusCode.Conflict, (await Update("d1", "p1", "in_progress")).StatusCode);
        var delivered = await (await _client.GetAsync("/packages?status=delivered")).Json();
        Assert.Equal(["p1"], delivered.GetProperty("data").EnumerateArray().Select(p => p.Str("package_id")));
    }

    [Fact]
    public async Task AFailedDeliveryReleasesTheVolumeAndReturnsThePackageToThePool()
    {
        await Update("d1", "p2", "failed_to_deliver");

        Assert.Equal(300m, (await (await _client.GetAsync("/couriers/d1")).Json()).Decimal("available_capacity"));
        var pool = await (await _client.GetAsync("/packages?status=unassigned")).Json();
        var package = Assert.Single(pool.GetProperty("data").EnumerateArray());
        Assert.Equal(("p2", 1), (package.Str("package_id"), package.GetProperty("failed_attempts").GetInt32()));
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class UpdateApiOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : UpdateApiTests(CourierApiFactory.OnDynamoDb(dynamoDb));
