using Amazon.Runtime;
using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// Builds the DynamoDB stores exactly as the service does (AddCourierStore with Storage:Provider=DynamoDb)
/// against the shared DynamoDB Local, each test on tables of its own prefix. Disposes what it built.
/// </summary>
public sealed class DynamoTestStores(DynamoDbLocalFixture dynamoDb) : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>Every instance started, the last one too when its start failed.</summary>
    public IReadOnlyList<ServiceProvider> Started => _providers;

    /// <summary>A fresh table prefix: tests never see each other's data.</summary>
    public string Prefix { get; } = $"t{Guid.NewGuid():N}"[..13] + "-";

    /// <summary>A service instance on this test's tables; several stand for several processes.</summary>
    public async Task<ServiceProvider> StartAsync(TimeProvider? clock = null, FaultInjector? faults = null,
        IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "DynamoDb",
            ["Storage:DynamoDb:Region"] = "us-east-1",
            ["Storage:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl,
            ["Storage:DynamoDb:TablePrefix"] = Prefix,
            ["Storage:DynamoDb:CreateTables"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var services = new ServiceCollection().AddSingleton(clock ?? TimeProvider.System);
        if (faults is not null) services.AddSingleton<HttpClientFactory>(faults.Factory);
        services.AddLogging().AddCourierStore(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        await provider.PrepareCourierStoreAsync(CancellationToken.None);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
    }
}
