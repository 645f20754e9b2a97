using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Couriers.Storage.Tests.Contract;
using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Embedded;

public sealed class SqliteDeliveryQueriesTests : DeliveryQueriesContract
{
    private readonly TempDirectory _folder = new();
    private ServiceProvider? _provider;

    protected override Task<IServiceProvider> CreateServicesAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = _folder.File("queries.db") })
            .Build();
        _provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        return Task.FromResult<IServiceProvider>(_provider);
    }

    /// <summary>On SQLite the API answers from the capacity index, fed with each courier's rules: it must agree with the store's lookup.</summary>
    [Fact]
    public async Task TheCapacityIndexAnswersALookupByPackageAsTheStoresLookupDoesAfterEveryChange()
    {
        var provider = _provider!;
        var deliveries = provider.GetRequiredService<IDeliveryStore>();
        var index = provider.GetRequiredService<ICourierLookup>();
        var store = new StoreCourierLookup(Couriers, deliveries);
        var random = new Random(12);
        var rules = new IReadOnlyList<RuleSpec>[]
        {
            [], [RuleSpec.Create("r1", "REGION_ONLY", new { allowed_regions = new[] { "north" } })], [RuleSpec.Create("r1", "FRAGILE_ONLY")],
            [RuleSpec.Create("r1", "MAX_WEIGHT", new { limit_kg = 3 })],
        };
        var packages = Enumerable.Range(0, 6).Select(i => new Package($"p{i}", 1m + i, false, false, i % 2 == 0,
            (Region)(i % 4), 10m, null, 4m, 10, 0.001m * random.Next(1, 30))).ToList();
        for (var step = 0; step < 60; step++)
        {
            var id = $"c{random.Next(12)}";
            switch (random.Next(3))
            {
                case 0: await deliveries.UpsertDriversAsync([new DriverRecord(id, rules[random.Next(rules.Length)], random.Next(5, 40))], Ct); break;
                case 1: await Couriers.ReserveAsync(new ReservationRequest(id, $"r{step}", random.Next(1, 10)), Ct); break;
                default: await Couriers.UpdateAsync(id, new CourierChange(null, random.Next(0, 5)), null, Ct); break;
            }
            foreach (var package in packages)
            {
                var fromIndex = await index.LookupForAsync(package, new PageRequest<LookupCursor>(500, null), Ct);
                var fromStore = await store.LookupForAsync(package, new PageRequest<LookupCursor>(500, null), Ct);
                Assert.Equal(fromStore.Items.Select(c => c.Id), fromIndex.Items.Select(c => c.Id));
            }
        }
    }

    public override async Task DisposeAsync()
    {
        if (_provider is not null) await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
