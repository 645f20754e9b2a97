using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Couriers.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>Storage:Provider</c>: the one place the service picks its
    /// adapter. Bad settings stop startup (ValidateOnStart) instead of failing the first request.
    /// </summary>
    public static IServiceCollection AddCourierStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SqliteOptions>().Bind(configuration.GetSection("Storage:Sqlite")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteOptions>>().Value));
        services.AddSingleton<ICourierStore, SqliteCourierStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        return services;
    }
}
