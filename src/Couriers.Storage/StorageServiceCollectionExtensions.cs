using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Storage.DynamoDb;
using Couriers.Storage.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Couriers.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>Storage:Provider</c> (Sqlite or DynamoDb): the one place the
    /// service picks its adapter. Bad settings stop startup (ValidateOnStart) instead of failing the
    /// first request. With DynamoDb a hosted service creates or checks the tables at startup.
    /// </summary>
    public static IServiceCollection AddCourierStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateDataAnnotations().ValidateOnStart();
        return string.Equals(configuration["Storage:Provider"], StorageOptions.DynamoDb, StringComparison.Ordinal)
            ? services.AddDynamoDbStore(configuration)
            : services.AddSqliteStore(configuration);
    }

    /// <summary>
    /// Creates or checks the store's tables now. A host does this at startup on its own; a plain
    /// service provider (a tool, a test) calls it before the first request.
    /// </summary>
    public static async Task PrepareCourierStoreAsync(this IServiceProvider services, CancellationToken ct)
    {
        if (services.GetService<TableBootstrapper>() is { } tables) await tables.EnsureTablesAsync(ct);
        if (services.GetService<CapacityIndexFeed>() is { } feed) await feed.StartAsync(ct);
    }

    private static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SqliteOptions>().Bind(configuration.GetSection("Storage:Sqlite")).ValidateDataAnnotations().ValidateOnStart();
        // The capacity index answers lookups; the database feeds it every committed courier change.
        services.TryAddSingleton<CapacityIndex>();
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteOptions>>().Value, sp.GetRequiredService<CapacityIndex>()));
        services.AddSingleton<ICourierLookup>(sp => new IndexedCourierLookup(sp.GetRequiredService<CapacityIndex>(), sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<ICourierStore, SqliteCourierStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<IDeliveryQueries, SqliteDeliveryQueries>();
        services.AddSingleton<ICourierBatches, SqliteCourierBatches>();
        return services;
    }

    private static IServiceCollection AddDynamoDbStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DynamoDbOptions>().Bind(configuration.GetSection(DynamoDbOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DynamoDbOptions>, DynamoDbOptionsValidator>();
        // An HttpClientFactory registered by the host (a proxy, a test's fault injector) is handed to the SDK.
        services.TryAddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(
            sp.GetRequiredService<IOptions<DynamoDbOptions>>().Value, sp.GetService<HttpClientFactory>()));
        services.AddSingleton<DynamoContext>();
        services.AddSingleton<CapacityWrites>();
        services.AddSingleton<CourierQueries>();
        services.AddSingleton<AssignmentCommitter>();
        services.AddSingleton<ICourierStore, DynamoDbCourierStore>();
        services.AddSingleton<IDeliveryStore, DynamoDbDeliveryStore>();
        services.AddSingleton<IDeliveryQueries, DynamoDbDeliveryQueries>();
        services.AddSingleton<ICourierBatches, DynamoDbCourierBatches>();
        services.AddSingleton<TableBootstrapper>();
        services.AddHostedService(sp => sp.GetRequiredService<TableBootstrapper>());
        // Each instance keeps the capacity index, built from the table at start (after the tables are checked)
        // and fed by its own writes and by polls of the change index (docs/decisions/0005-capacity-index-on-dynamodb.md).
        services.TryAddSingleton<CapacityIndex>();
        services.AddSingleton<CapacityIndexFeed>();
        services.AddSingleton<ICapacityIndexStatus>(sp => sp.GetRequiredService<CapacityIndexFeed>());
        services.AddSingleton<ICourierLookup, DynamoCourierLookup>();
        services.AddHostedService(sp => sp.GetRequiredService<CapacityIndexFeed>());
        return services;
    }
}
