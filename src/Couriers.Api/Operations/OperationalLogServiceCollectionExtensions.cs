using Amazon.S3;
using Couriers.Api.Health;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Operations;

public static class OperationalLogServiceCollectionExtensions
{
    /// <summary>
    /// The operational log: decorates the store ports registered before (call it after
    /// AddCourierStore) so every successful write becomes an event, and ships the events from a
    /// background service to the sink chosen by <c>OperationalLog:*</c>. Bad settings stop startup.
    /// </summary>
    public static IServiceCollection AddOperationalLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperationalLogOptions>()
            .Bind(configuration.GetSection(OperationalLogOptions.Section))
            .PostConfigure(options =>
            {
                // Embedded mode keeps its log beside its database: data/couriers.db → data/events.
                if (string.IsNullOrWhiteSpace(options.Path))
                {
                    var database = configuration["Storage:Sqlite:Path"] is { Length: > 0 } path ? path : "data/couriers.db";
                    options.Path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(database) ?? "", "events");
                }
                if (string.IsNullOrWhiteSpace(options.S3.Region)) options.S3.Region = configuration["Storage:DynamoDb:Region"];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationalLogOptions>, OperationalLogOptionsValidator>();

        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OperationalLogStatus>();
        services.AddSingleton<OperationalLogQueue>();
        services.AddSingleton<OperationalLog>();
        // A host (a test) may register its own client: an emulator's credentials, a fault injector.
        services.TryAddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(sp.GetRequiredService<IOptions<OperationalLogOptions>>().Value.S3));
        services.AddSingleton<IEventSink>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OperationalLogOptions>>().Value;
            var instance = sp.GetRequiredService<OperationalLogQueue>().Instance;
            return options.ResolvedSink(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider) == OperationalLogOptions.S3Sink
                ? new S3EventSink(sp.GetRequiredService<IAmazonS3>(), options.Bucket!, instance, options.S3.CreateBucket,
                    sp.GetRequiredService<ILogger<OperationalLogShipper>>())
                : new FileEventSink(options.Path!, instance);
        });
        services.AddHostedService(sp =>
        {
            var sink = sp.GetRequiredService<IEventSink>();
            var options = sp.GetRequiredService<IOptions<OperationalLogOptions>>();
            // Batches S3 would not take are kept on local disk rather than only counted.
            var fallback = sink is S3EventSink
                ? new FileEventSink(System.IO.Path.Combine(options.Value.Path!, "unshipped"), sp.GetRequiredService<OperationalLogQueue>().Instance)
                : null;
            return new OperationalLogShipper(sp.GetRequiredService<OperationalLogQueue>(), sink, options,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OperationalLogShipper>>(), fallback);
        });
        services.AddHealthChecks().AddCheck<OperationalLogHealthCheck>("operational-log", tags: [HealthEndpoints.ReadyTag]);

        services.Decorate<ICourierStore>((sp, inner) => new LoggedCourierStore(inner, sp.GetRequiredService<OperationalLog>()));
        services.Decorate<IDeliveryStore>((sp, inner) => new LoggedDeliveryStore(inner, sp.GetRequiredService<OperationalLog>()));
        services.Decorate<ICourierBatches>((sp, inner) =>
            new LoggedCourierBatches(inner, sp.GetRequiredService<IDeliveryStore>(), sp.GetRequiredService<OperationalLog>()));
        return services;
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> with a decorator around it, keeping its lifetime.</summary>
    internal static void Decorate<T>(this IServiceCollection services, Func<IServiceProvider, T, T> decorate) where T : class
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"{typeof(T).Name} must be registered before the operational log decorates it.");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => decorate(sp, (T)Create(sp, inner)), inner.Lifetime));
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
}
