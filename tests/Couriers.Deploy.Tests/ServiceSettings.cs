using System.Reflection;
using Couriers.Api.Infrastructure;
using Couriers.Api.Operations;
using Couriers.Api.Telemetry;
using Couriers.Storage;
using Couriers.Storage.DynamoDb;
using Couriers.Storage.Embedded;

namespace Couriers.Deploy.Tests;

/// <summary>The settings the service reads, which compose files, task definitions and docs may name.</summary>
public static class ServiceSettings
{
    /// <summary>
    /// Every configuration key the service reads, from its options classes: what an environment
    /// variable (with __ for :) may name. A new options class belongs here.
    /// </summary>
    public static readonly IReadOnlySet<string> ConfigurationKeys = new[]
    {
        ("Storage", typeof(StorageOptions)),
        ("Storage:Sqlite", typeof(SqliteOptions)),
        (DynamoDbOptions.Section, typeof(DynamoDbOptions)),
        (OperationalLogOptions.Section, typeof(OperationalLogOptions)),
        (TelemetryOptions.Section, typeof(TelemetryOptions)),
        ("Seed", typeof(SeedOptions)),
    }.SelectMany(s => Keys(s.Item1, s.Item2)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Variables of the host, the SDK and the platform rather than of the service's options.</summary>
    public static readonly IReadOnlySet<string> PlatformVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
    };

    private static IEnumerable<string> Keys(string section, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).SelectMany(p =>
            p.PropertyType.IsClass && p.PropertyType != typeof(string)
                ? Keys($"{section}:{p.Name}", p.PropertyType)
                : [$"{section}:{p.Name}"]);

}
