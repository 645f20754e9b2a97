using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Couriers.Testing;

/// <summary>The repository's files, read as data: YAML and HCL become JSON.</summary>
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

    public static string? Str(this JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
}
