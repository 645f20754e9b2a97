using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Couriers.Api.Infrastructure;
using Couriers.Api.Operations;
using Couriers.Api.Telemetry;
using Couriers.Storage;
using Couriers.Storage.DynamoDb;
using Couriers.Storage.Embedded;
using Couriers.Storage.Tests.DynamoDb;
using YamlDotNet.Serialization;

namespace Couriers.Api.Tests.Deploy;

/// <summary>The repository's deployment files, read as data: YAML and HCL become JSON.</summary>
public static class RepoFiles
{
    public static string Root => DynamoDbLocalFixture.RepoRoot();

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static JsonNode Yaml(string relative)
    {
        var graph = new DeserializerBuilder().Build().Deserialize<object>(Read(relative));
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(graph);
        return JsonNode.Parse(json)!;
    }

    /// <summary>
    /// Every .tf file under infra/ as HashiCorp's HCL parser sees it (emulators/hcl2json.js): the
    /// Terraform parse check. A file that does not parse fails here with its line.
    /// </summary>
    public static async Task<JsonObject> TerraformAsync()
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var arg in new[] { Path.Combine("emulators", "hcl2json.js"), "infra" }) start.ArgumentList.Add(arg);
        if (!File.Exists(Path.Combine(Root, "emulators", "node_modules", "@cdktf", "hcl2json", "package.json")))
            throw new InvalidOperationException("@cdktf/hcl2json is not installed in emulators/: run `cd emulators && npm ci` (scripts/test.sh does).");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"infra/ does not parse:\n{await error}");
        return JsonNode.Parse(await output)!.AsObject();
    }

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

    public static string? Str(this JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
}
