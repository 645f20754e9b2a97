using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage.Tests.Contract;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbDeliveryStoreTests(DynaliteFixture dynalite) : DeliveryStoreContract
{
    private readonly DynamoTestStores _stores = new(dynalite);

    protected override async Task<(ICourierStore, IDeliveryStore)> CreateStoresAsync()
    {
        var provider = await _stores.StartAsync();
        return (provider.GetRequiredService<ICourierStore>(), provider.GetRequiredService<IDeliveryStore>());
    }

    public override async Task DisposeAsync() => await _stores.DisposeAsync();
}
