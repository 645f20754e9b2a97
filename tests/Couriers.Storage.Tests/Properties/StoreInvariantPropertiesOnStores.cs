using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Storage.DynamoDb;
using Couriers.Storage.Tests.DynamoDb;
using Couriers.Testing;
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
        // A bound far longer than a run: each instance's index answers every lookup, so what is checked is how
        // it was fed. The writing instance polls nothing in a run: its index holds what its own writes gave it.
        // The other writes nothing: its index learns every change from a poll of the change index.
        var settings = new Dictionary<string, string?> { ["Storage:DynamoDb:IndexFreshnessMilliseconds"] = "600000" };
        var provider = await stores.StartAsync(settings: settings);
        var other = await stores.StartAsync(settings: settings);
        var otherFeed = other.GetRequiredService<CapacityIndexFeed>();
        return new Stores(provider.GetRequiredService<ICourierStore>(), provider.GetRequiredService<IDeliveryStore>())
        {
            Lookups = [provider.GetRequiredService<ICourierLookup>(), other.GetRequiredService<ICourierLookup>()],
            BeforeLookups = async () => Assert.True(await otherFeed.CatchUpAsync(CancellationToken.None), "the other instance's poll failed"),
            Dispose = stores.DisposeAsync,
        };
    }
}
