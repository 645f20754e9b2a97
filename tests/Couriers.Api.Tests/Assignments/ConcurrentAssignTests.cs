using System.Net;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Assignments;

public sealed class ConcurrentAssignTests
{
    [Fact]
    public async Task TwoRacingAssignCallsOverOverlappingDriversNeverDoubleAssignAPackage()
    {
        await using var api = new CourierApiFactory().OnKestrel();
        using var client = api.CreateClient();
        await client.Post("/drivers", Array(Enumerable.Range(1, 4).Select(i => Driver($"d{i}"))));
        await client.Post("/packages", Array(Enumerable.Range(0, 100).Select(i => Package($"p{i:D3}"))));

        var calls = await Task.WhenAll(
            client.Post("/assign", """{"driver_ids": ["d1", "d2", "d3"], "max_per_driver": 20}"""),
            client.Post("/assign", """{"driver_ids": ["d2", "d3", "d4"], "max_per_driver": 20}"""));

        Assert.All(calls, call => Assert.Equal(HttpStatusCode.OK, call.StatusCode));
        var given = new List<string>();
        foreach (var call in calls) given.AddRange((await call.Json()).Assignments().Values.SelectMany(ids => ids));
        Assert.Equal(given.Count, given.Distinct().Count());
        // Every driver ends at its cap (4 × 20 = 80 of 100 packages), never beyond.
        Assert.Equal(80, given.Count);
        for (var i = 1; i <= 4; i++)
            Assert.Equal(20, (await (await client.GetAsync($"/drivers/d{i}")).Json()).GetProperty("active_assignments").GetInt32());
        var assigned = await (await client.GetAsync("/packages?status=assigned&limit=500")).Json();
        Assert.Equal(given.Order(), assigned.GetProperty("data").EnumerateArray().Select(p => p.Str("package_id")).Order());
    }
}
