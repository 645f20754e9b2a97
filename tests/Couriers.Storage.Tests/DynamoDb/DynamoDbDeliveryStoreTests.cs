using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage.Tests.Contract;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbDeliveryStoreTests(DynamoDbLocalFixture dynamoDb) : DeliveryStoreContract
{
    private readonly DynamoTestStores _stores = new(dynamoDb);

    protected override async Task<(ICourierStore, IDeliveryStore)> CreateStoresAsync()
    {
        var provider = await _stores.StartAsync();
        return (provider.GetRequiredService<ICourierStore>(), provider.GetRequiredService<IDeliveryStore>());
    }

    public override async Task DisposeAsync() => await _stores.DisposeAsync();
}
