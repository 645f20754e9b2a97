using Couriers.Core.Couriers;
using Couriers.Storage.Tests.Contract;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbCourierStoreTests(DynamoDbLocalFixture dynamoDb) : CourierStoreContract
{
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private ServiceProvider? _provider;

    protected override async Task<ICourierStore> CreateStoreAsync()
    {
        _provider = await _stores.StartAsync();
        return _provider.GetRequiredService<ICourierStore>();
    }

    [Fact]
    public async Task TwoServiceInstancesOnOneTableSetStillNeverOverbook()
    {
        // A second provider is a second process: it shares nothing with the first but the tables.
        var other = (await _stores.StartAsync()).GetRequiredService<ICourierStore>();
        await Store.CreateAsync(new NewCourier("c1", 50m), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ReserveAsync(new ReservationRequest("c1", $"pkg-{i % 25}", 5m), Ct))));

        Assert.Equal(10, results.Count(r => r.Status == ReserveStatus.Reserved));
        var courier = await other.GetAsync("c1", Ct);
        Assert.Equal(0m, courier!.AvailableCapacity);
        Assert.Equal(10, (await Store.ListReservationsAsync("c1", Ct)).Count);
        Assert.Equal(50m, courier.ReservedCapacity);
    }

    [Fact]
    public async Task TwoInstancesRacingForOnePackageGiveItToOneCourier()
    {
        var other = (await _stores.StartAsync()).GetRequiredService<ICourierStore>();
        for (var i = 0; i < 8; i++) await Store.CreateAsync(new NewCourier($"c{i}", 10m), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ReserveAsync(new ReservationRequest($"c{i}", "pkg-1", 4m), Ct))));

        var winner = Assert.Single(results, r => r.Status == ReserveStatus.Reserved);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(ReserveStatus.ReferenceActiveOnOtherCourier, r.Status));
        var total = 0m;
        for (var i = 0; i < 8; i++) total += (await Store.GetAsync($"c{i}", Ct))!.ReservedCapacity;
        Assert.Equal(4m, total);
    }

    public override async Task DisposeAsync() => await _stores.DisposeAsync();
}
