using Couriers.Storage.Tests.Contract;
using Couriers.Testing;

namespace Couriers.Storage.Tests.DynamoDb;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbDeliveryQueriesTests(DynamoDbLocalFixture dynamoDb) : DeliveryQueriesContract
{
    private readonly DynamoTestStores _stores = new(dynamoDb);

    protected override async Task<IServiceProvider> CreateServicesAsync() => await _stores.StartAsync();

    public override async Task DisposeAsync() => await _stores.DisposeAsync();
}
