using System.Net;
using Couriers.Api.Tests.Assignments;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

/// <summary>Reading the day back: drivers with or without room, a driver's assignments with their history, one package.</summary>
public sealed class DeliveryQueriesApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        await _client.Post("/drivers", DayBuilder.Array([
            DayBuilder.Driver("d1", "[]", 500m), DayBuilder.Driver("d2", "[]", 100m), DayBuilder.Driver("d3")])).Succeeds();
        await _client.Post("/packages", DayBuilder.Array([DayBuilder.Package("p1"), DayBuilder.Package("p2"), DayBuilder.Package("p3")])).Succeeds();
        await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 2}""").Succeeds();
        await _client.Post("/update", """{"driver_id": "d1", "package_id": "p1", "status": "in_progress"}""").Succeeds();
        await _client.Post("/update", """{"driver_id": "d1", "package_id": "p1", "status": "delivered"}""").Succeeds();
        // d2 is full: untracked load takes all its room.
        await _client.Send(HttpMethod.Patch, "/couriers/d2", """{"available_capacity": 0}""").Succeeds();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task DriversArePagedByIdAndFilteredByWhetherTheyHaveRoom()
    {
        var first = await (await _client.GetAsync("/drivers?limit=2")).Json();
        var rest = await (await _client.GetAsync($"/drivers?limit=2&cursor={first.GetProperty("meta").Str("next_cursor")}")).Json();
        var roomy = await (await _client.GetAsync("/drivers?has_room=true")).Json();
        var full = await (await _client.GetAsync("/drivers?has_room=false")).Json();

        Assert.Equal(["d1", "d2"], first.Ids());
        Assert.Equal(["d3"], rest.Ids());
        Assert.Equal(["d1", "d3"], roomy.Ids());
        Assert.Equal(["d2"], full.Ids());
        Assert.Equal(1, first.GetProperty("data")[0].GetProperty("active_assignments").GetInt32());
    }

    [Fact]
    public async Task ADriversAssignmentsIncludeItsHistoryAndFilterByStatus()
    {
        var all = await (await _client.GetAsync("/drivers/d1/assignments")).Json();
        var delivered = await (await _client.GetAsync("/drivers/d1/assignments?status=delivered")).Json();
        var paged = await (await _client.GetAsync("/drivers/d1/assignments?limit=1")).Json();

        Assert.Equal(["p1", "p2"], all.GetProperty("data").EnumerateArray().Select(a => a.Str("package_id")));
        Assert.Equal("delivered", Assert.Single(delivered.GetProperty("data").EnumerateArray()).Str("status"));
        Assert.Equal("p1", Assert.Single(paged.GetProperty("data").EnumerateArray()).Str("package_id"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/drivers/ghost/assignments")).StatusCode);
    }

    [Fact]
    public async Task APackageIsReadWithItsStatusAndDriver()
    {
        var assigned = await (await _client.GetAsync("/packages/p2")).Json();
        var pooled = await (await _client.GetAsync("/packages/p3")).Json();

        Assert.Equal(("assigned", "d1"), (assigned.Str("status"), assigned.Str("driver_id")));
        Assert.Equal("unassigned", pooled.Str("status"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/packages/ghost")).StatusCode);
    }
}
