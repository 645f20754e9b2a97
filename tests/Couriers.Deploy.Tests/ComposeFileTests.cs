using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Couriers.Api.Operations;
using Couriers.Storage;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Couriers.Deploy.Tests;

/// <summary>
/// docker-compose.yml, checked for what can be checked without a Docker engine: the services, the
/// pinned LocalStack, health checks, ports, and an environment that binds to the service's real
/// settings and passes their validation.
/// </summary>
public sealed partial class ComposeFileTests
{
    private readonly JsonNode _compose = RepoFiles.Yaml("docker-compose.yml");

    private JsonNode Service(string name) => _compose["services"]![name] ?? throw new InvalidOperationException($"no service {name}");

    [Fact]
    public void LocalStackIsPinnedToATagThatRunsWithoutAnAuthToken()
    {
        var localstack = Service("localstack");
        var image = localstack["image"].Str()!;
        // `latest` (and any tag from March 2026 on) needs an auth token; 3.x and 4.x run without one.
        Assert.Matches(@"^localstack/localstack:[34]\.\d+(\.\d+)?$", image);
        Assert.Equal(["4566:4566"], Strings(localstack["ports"]));
        Assert.Equal(["DEBUG=1", "SERVICES=s3,dynamodb"], Strings(localstack["environment"]).Order());
        Assert.Equal(["localstack_data:/var/lib/localstack"], Strings(localstack["volumes"]));
        Assert.Contains("http://localhost:4566/_localstack/health", string.Join(" ", Strings(localstack["healthcheck"]!["test"])));
        Assert.True(_compose["volumes"]!.AsObject().ContainsKey("localstack_data"));
    }

    [Fact]
    public void TheApiIsBuiltFromTheDockerfileStartsAfterLocalStackIsHealthyAndPublishesPorts3000And8000()
    {
        var api = Service("api");
        Assert.Equal(".", api["build"].Str());
        Assert.True(File.Exists(Path.Combine(RepoFiles.Root, "Dockerfile")));
        Assert.Equal("service_healthy", api["depends_on"]!["localstack"]!["condition"].Str());
        Assert.Equal(["3000:3000", "8000:8000"], Strings(api["ports"]).Order());
        // The container listens on both ports the host publishes.
        var urls = Environment()["ASPNETCORE_URLS"];
        Assert.Contains(":3000", urls);
        Assert.Contains(":8000", urls);
        Assert.Contains("--healthcheck", string.Join(" ", Strings(api["healthcheck"]!["test"])));
    }

    [Fact]
    public void TheApisEnvironmentNamesOnlySettingsTheServiceReads()
    {
        foreach (var key in Environment().Keys)
            Assert.True(ServiceSettings.PlatformVariables.Contains(key) || ServiceSettings.ConfigurationKeys.Contains(key.Replace("__", ":")),
                $"{key} is not a setting of the service");
    }

    [Fact]
    public void TheApisEnvironmentBindsToAValidConfigurationOnLocalStack()
    {
        var settings = Environment().Where(e => e.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddCourierStore(configuration);
        services.AddOperationalLog(configuration);
        using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<IOptions<OperationalLogOptions>>().Value;
        var dynamo = provider.GetRequiredService<IOptions<DynamoDbOptions>>().Value;

        Assert.Equal(("http://localstack:4566", "dev-", true), (dynamo.ServiceUrl, dynamo.TablePrefix, dynamo.CreateTables));
        Assert.Equal((OperationalLogOptions.S3Sink, "http://localstack:4566", "eu-west-1", true),
            (log.ResolvedSink("DynamoDb"), log.S3.ServiceUrl, log.S3.Region, log.S3.CreateBucket));
        // Compose's names are the Terraform dev workspace's, so Terraform can own the same tables and bucket.
        Assert.Equal("dev-courier-capacity-operational-log", log.Bucket);
        Assert.Contains("\"${terraform.workspace}-courier-capacity-operational-log\"", RepoFiles.Read("infra/locals.tf"));
        Assert.Equal("localstack", new Uri(dynamo.ServiceUrl!).Host); // the compose service name
    }

    [Fact]
    public void TheDockerfileIsMultiStageNonRootAndProbesItselfWithoutCurl()
    {
        var lines = RepoFiles.Read("Dockerfile").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, from.Count);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", from[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0", from[1]);
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user);
        Assert.Equal("USER $APP_UID", user);
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains("\"--healthcheck\"", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 3000 8000", lines);
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"Couriers.Api.dll\"]", lines[^1]);
        // The restore layer copies every project the API depends on: a new reference must be added there too.
        foreach (var project in ProjectClosure("src/Couriers.Api/Couriers.Api.csproj"))
            Assert.Contains(lines, l => l.StartsWith($"COPY {project} ", StringComparison.Ordinal));
        Assert.DoesNotContain(RepoFiles.Read(".dockerignore").Split('\n'), l => l.Trim() is "src" or "src/");
    }

    [Fact]
    public void TheMakefileHasTheDeployTargetsAndTheSampleCurlAsSmoke()
    {
        var makefile = RepoFiles.Read("Makefile");
        foreach (var target in new[] { "up", "down", "build", "terraform-init", "terraform-apply", "smoke", "test" })
            Assert.Matches(new Regex($"^{Regex.Escape(target)}:", RegexOptions.Multiline), makefile);
        Assert.Contains("""-d '{"driver_ids":["driver_1","driver_2"],"max_per_driver":2}'""", makefile);
        Assert.Contains("http://localhost:8000/assign", makefile);
        Assert.Contains("docker compose", makefile);
        Assert.Contains("docker-compose", makefile);
    }

    [Fact]
    public void TheWorkflowRunsEveryTestTerraformChecksAndTheComposeSmoke()
    {
        var workflow = RepoFiles.Yaml(".github/workflows/ci.yml");
        var steps = workflow["jobs"]!.AsObject().SelectMany(j => j.Value!["steps"]!.AsArray()).ToList();
        string Uses(string action) => steps.Select(s => s!["uses"].Str()).OfType<string>().Single(u => u.StartsWith(action + "@", StringComparison.Ordinal));
        var runs = steps.Select(s => s!["run"].Str()).OfType<string>().ToList();

        Uses("actions/setup-dotnet");
        Uses("actions/setup-node");
        Uses("hashicorp/setup-terraform");
        Assert.Equal("10.0.x", steps.Single(s => s!["uses"].Str()?.StartsWith("actions/setup-dotnet", StringComparison.Ordinal) == true)!["with"]!["dotnet-version"].Str());
        Assert.Equal("20", steps.Single(s => s!["uses"].Str()?.StartsWith("actions/setup-node", StringComparison.Ordinal) == true)!["with"]!["node-version"].Str());
        foreach (var command in new[] { "make test", "terraform fmt -check", "terraform validate", "docker compose up -d --build --wait", "make smoke" })
            Assert.Contains(runs, r => r.Contains(command, StringComparison.Ordinal));
    }

    private Dictionary<string, string> Environment() =>
        Service("api")["environment"]!.AsObject().ToDictionary(e => e.Key, e => Interpolate(e.Value.Str()!));

    /// <summary>Compose's ${NAME:-default} with nothing set: the default.</summary>
    private static string Interpolate(string value) => Default().Replace(value, m => m.Groups[1].Value);

    private static List<string> Strings(JsonNode? list) => list!.AsArray().Select(n => n.Str()!).ToList();

    /// <summary>The project and every project it references, as repository paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next)) continue;
            var folder = Path.GetDirectoryName(next)!;
            foreach (Match reference in ProjectReference().Matches(RepoFiles.Read(next)))
                pending.Push(Path.GetRelativePath(RepoFiles.Root, Path.GetFullPath(Path.Combine(RepoFiles.Root, folder, reference.Groups[1].Value.Replace('\\', '/')))).Replace('\\', '/'));
        }
        return seen;
    }

    [GeneratedRegex(@"\$\{[A-Z_]+:-([^}]*)\}")]
    private static partial Regex Default();

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
