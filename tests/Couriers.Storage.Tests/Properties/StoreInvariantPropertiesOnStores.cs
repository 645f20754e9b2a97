using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Storage.Tests.DynamoDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Properties;

public sealed class StoreInvariantPropertiesOnSqlite : StoreInvariantProperties, IDisposable
{
    private readonly TempDirectory _folder = new();
    private int _stores;

    protected override int DefaultRuns => 60;

    protected override Task<Stores> NewStoresAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = _folder.File($"run-{Interlocked.Increment(ref _stores)}.db"),
            ["Storage:Sqlite:Synchronous"] = "NORMAL",
        }).Build();
        var provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        // A second service process on the same file, which writes nothing: its index learns every change from the file.
        var other = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        return Task.FromResult(new Stores(provider.GetRequiredService<ICourierStore>(), provider.GetRequiredService<IDeliveryStore>())
        {
            Lookups = [provider.GetRequiredService<ICourierLookup>(), other.GetRequiredService<ICourierLookup>()],
            Dispose = async () =>
            {
                await provider.DisposeAsync();
                await other.DisposeAsync();
            },
        });
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class StoreInvariantPropertiesOnDynamoDb(DynamoDbLocalFixture dynamoDb) : StoreInvariantProperties
{
    protected override int DefaultRuns => 15;

    protected override async Task<Stores> NewStoresAsync()
    {
        var stores = new DynamoTestStores(dynamoDb);
        var provider = await stores.StartAsync();
        // DynamoDB lookups query the table (no index is fed yet): checked as served, against the store's own query.
        return new Stores(provider.GetRequiredService<ICourierStore>(), provider.GetRequiredService<IDeliveryStore>())
        {
            Lookups = [provider.GetRequiredService<ICourierLookup>()],
            Dispose = stores.DisposeAsync,
        };
    }
}
