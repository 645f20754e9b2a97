using Couriers.Core.Couriers;
using Couriers.Storage.Tests.Contract;
using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Embedded;

public sealed class SqliteCourierStoreTests : CourierStoreContract
{
    private readonly TempDirectory _folder = new();
    private readonly List<ServiceProvider> _providers = [];

    protected override Task<ICourierStore> CreateStoreAsync() => Task.FromResult(OpenStore());

    private ICourierStore OpenStore()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = _folder.File("couriers.db") })
            .Build();
        var provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<ICourierStore>();
    }

    [Fact]
    public async Task DataSurvivesReopeningTheFile()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var reopened = OpenStore();

        Assert.Equal(35m, (await reopened.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task TwoStoresOnOneFileStillNeverOverbook()
    {
        // Two stores stand for two service processes: only SQLite's file lock is shared between them.
        var other = OpenStore();
        await Store.CreateAsync(new NewCourier("c1", 50m), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ReserveAsync(new ReservationRequest("c1", $"pkg-{i}", 5m), Ct))));

        Assert.Equal(10, results.Count(r => r.Status == ReserveStatus.Reserved));
        Assert.Equal(0m, (await other.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    public override async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
