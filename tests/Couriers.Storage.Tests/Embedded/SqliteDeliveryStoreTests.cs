using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage.Tests.Contract;
using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Embedded;

public sealed class SqliteDeliveryStoreTests : DeliveryStoreContract
{
    private readonly TempDirectory _folder = new();
    private ServiceProvider? _provider;

    protected override Task<(ICourierStore, IDeliveryStore)> CreateStoresAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = _folder.File("deliveries.db") })
            .Build();
        _provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        return Task.FromResult((_provider.GetRequiredService<ICourierStore>(), _provider.GetRequiredService<IDeliveryStore>()));
    }

    public override async Task DisposeAsync()
    {
        if (_provider is not null) await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
