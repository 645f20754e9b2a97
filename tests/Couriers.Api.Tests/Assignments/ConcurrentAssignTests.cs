using System.Net;
using Couriers.Testing;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Assignments;

public class ConcurrentAssignTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    /// <summary>Two service instances on one store, each serving real HTTP on Kestrel.</summary>
    protected virtual CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => new CourierApiFactory().With("Storage:Sqlite:Path", _folder.File("shared.db")).OnKestrel())];

    [Fact]
    public async Task TwoRacingAssignCallsOnTwoInstancesNeverDoubleAssignAPackage()
    {
        var instances = TwoInstances();
        var clients = instances.Select(i => i.CreateClient()).ToArray();
        try
        {
            await clients[0].Post("/drivers", Array(Enumerable.Range(1, 4).Select(i => Driver($"d{i}"))));
            await clients[0].Post("/packages", Array(Enumerable.Range(0, 100).Select(i => Package($"p{i:D3}"))));

            var calls = await Task.WhenAll(
                clients[0].Post("/assign", """{"driver_ids": ["d1", "d2", "d3"], "max_per_driver": 20}"""),
                clients[1].Post("/assign", """{"driver_ids": ["d2", "d3", "d4"], "max_per_driver": 20}"""));

            Assert.All(calls, call => Assert.Equal(HttpStatusCode.OK, call.StatusCode));
            var given = new List<string>();
            foreach (var call in calls) given.AddRange((await call.Json()).Assignments().Values.SelectMany(ids => ids));
            Assert.Equal(given.Count, given.Distinct().Count());
            // Every driver ends at its cap (4 × 20 = 80 of 100 packages), never beyond.
            Assert.Equal(80, given.Count);
            for (var i = 1; i <= 4; i++)
                Assert.Equal(20, (await (await clients[i % 2].GetAsync($"/drivers/d{i}")).Json()).GetProperty("active_assignments").GetInt32());
            var assigned = await (await clients[1].GetAsync("/packages?status=assigned&limit=500")).Json();
            Assert.Equal(given.Order(), assigned.GetProperty("data").EnumerateArray().Select(p => p.Str("package_id")).Order());
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class ConcurrentAssignOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : ConcurrentAssignTests
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();

    protected override CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => CourierApiFactory.OnDynamoDb(dynamoDb, _prefix).OnKestrel())];
}
