using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;

namespace Couriers.Deploy.Tests;

/// <summary>Parses infra/ once for the tests below (Terraform itself is not installed here).</summary>
public sealed class TerraformFixture : IAsyncLifetime
{
    public JsonObject Files { get; private set; } = null!;

    public async Task InitializeAsync() => Files = await RepoFiles.TerraformAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every block of one kind across the files, e.g. resource.aws_dynamodb_table.couriers.</summary>
    public JsonObject Resource(string type, string name) =>
        Files.Select(f => f.Value?["resource"]?[type]?[name]?[0]).OfType<JsonObject>().Single();

    public IEnumerable<(string Name, JsonObject Body)> Resources(string type) =>
        Files.SelectMany(f => f.Value?["resource"]?[type]?.AsObject() ?? []).Select(r => (r.Key, r.Value![0]!.AsObject()));

    public JsonNode Local(string name) => Files.SelectMany(f => f.Value?["locals"]?.AsArray() ?? [])
        .Select(l => l![name]).OfType<JsonNode>().Single();
}

public sealed partial class TerraformTests(TerraformFixture terraform) : IClassFixture<TerraformFixture>
{
    [Fact]
    public void EveryTerraformFileParses()
    {
        var files = Directory.GetFiles(Path.Combine(RepoFiles.Root, "infra"), "*.tf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(RepoFiles.Root, "infra"), f).Replace('\\', '/')).Order();

        Assert.Equal(files, terraform.Files.Select(f => f.Key).Order());
        Assert.True(terraform.Files.Count >= 8);
    }

    /// <summary>
    /// The tables Terraform creates equal the ones the service creates and expects (key schema, attribute
    /// types, index names, index keys and projections, billing), so the two can never drift apart.
    /// </summary>
    [Fact]
    public void TheTablesAreExactlyTheOnesTheServiceCreates()
    {
        var expected = DynamoSchema.CreateTableRequests("").ToDictionary(t => t.TableName, t => new TableShape(
            t.BillingMode.Value,
            t.KeySchema.Single(k => k.KeyType == KeyType.HASH).AttributeName,
            t.KeySchema.SingleOrDefault(k => k.KeyType == KeyType.RANGE)?.AttributeName,
            string.Join(",", t.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order()),
            string.Join(";", (t.GlobalSecondaryIndexes ?? []).Select(i =>
                $"{i.IndexName}({i.KeySchema.Single(k => k.KeyType == KeyType.HASH).AttributeName},{i.KeySchema.Single(k => k.KeyType == KeyType.RANGE).AttributeName})"
                + $"{i.Projection.ProjectionType.Value}[{string.Join(",", (i.Projection.NonKeyAttributes ?? []).Order())}]").Order())));

        var actual = terraform.Resources("aws_dynamodb_table").ToDictionary(r => TableName(r.Body), r => new TableShape(
            r.Body["billing_mode"].Str(),
            r.Body["hash_key"].Str(),
            r.Body["range_key"]?.Str(),
            string.Join(",", r.Body["attribute"]!.AsArray().Select(a => $"{a!["name"].Str()}:{a["type"].Str()}").Order()),
            string.Join(";", (r.Body["global_secondary_index"]?.AsArray() ?? []).Select(i =>
                $"{i!["name"].Str()}({i["hash_key"].Str()},{i["range_key"].Str()})"
                + $"{i["projection_type"].Str()}[{string.Join(",", NonKeyAttributes(i).Order())}]").Order())));

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (table, schema) in expected) Assert.Equal(schema, actual[table]);
        Assert.Contains("DeliveryAssignments", actual.Keys); // the assignments table: driver_id, package_id
        Assert.Equal(("driver_id", "package_id"), (actual["DeliveryAssignments"].Hash, actual["DeliveryAssignments"].Range));
    }

    [Fact]
    public void TableNamesCarryTheWorkspacePrefixTheServiceIsConfiguredWith()
    {
        Assert.Equal("${terraform.workspace}-", terraform.Local("table_prefix").Str());
        var environment = terraform.Local("app_environment").AsObject();
        Assert.Equal("${local.table_prefix}", environment["Storage__DynamoDb__TablePrefix"].Str());
        Assert.Equal("false", environment["Storage__DynamoDb__CreateTables"].Str());
        Assert.Equal("${local.log_bucket_name}", environment["OperationalLog__Bucket"].Str());
        Assert.Equal(["dev", "prod", "test"], terraform.Local("environments").AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public void TheContainersEnvironmentNamesOnlySettingsTheServiceReads()
    {
        foreach (var (key, _) in terraform.Local("app_environment").AsObject())
            Assert.True(ServiceSettings.PlatformVariables.Contains(key) || ServiceSettings.ConfigurationKeys.Contains(key.Replace("__", ":")), $"{key} is not a setting of the service");
    }

    [Fact]
    public void EveryTableIsOnDemandRecoverableEncryptedAndProtectedOutsideDev()
    {
        foreach (var (name, table) in terraform.Resources("aws_dynamodb_table"))
        {
            Assert.Equal("PAY_PER_REQUEST", table["billing_mode"].Str());
            Assert.Equal("true", table["point_in_time_recovery"]![0]!["enabled"].Str());
            Assert.Equal("${local.table_sse_enabled}", table["server_side_encryption"]![0]!["enabled"].Str());
            Assert.Equal("${local.env.deletion_protection}", table["deletion_protection_enabled"].Str());
        }
        Assert.Equal("${!var.use_localstack}", terraform.Local("table_sse_enabled").Str()); // on AWS always
        var environments = terraform.Local("environments").AsObject();
        Assert.Equal([("dev", "false"), ("prod", "true"), ("test", "true")],
            environments.Select(e => (e.Key, e.Value!["deletion_protection"].Str())).Order());
    }

    [Fact]
    public void TheLogBucketIsVersionedEncryptedPrivateAndExpiresOldEvents()
    {
        Assert.Equal("Enabled", terraform.Resource("aws_s3_bucket_versioning", "operational_log")["versioning_configuration"]![0]!["status"].Str());
        Assert.NotNull(terraform.Resource("aws_s3_bucket_server_side_encryption_configuration", "operational_log")["rule"]![0]!["apply_server_side_encryption_by_default"]);
        var block = terraform.Resource("aws_s3_bucket_public_access_block", "operational_log");
        foreach (var setting in new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" })
            Assert.Equal("true", block[setting].Str());
        var rule = terraform.Resource("aws_s3_bucket_lifecycle_configuration", "operational_log")["rule"]![0]!;
        Assert.Equal("events/", rule["filter"]![0]!["prefix"].Str());
        Assert.Equal("${local.env.event_retention_days}", rule["expiration"]![0]!["days"].Str());
    }

    /// <summary>
    /// The task role allows exactly the DynamoDB operations the adapter calls: a new call (a Scan) fails here until IAM allows it.
    /// IAM checks a TransactWriteItems item by item, as the operation each item is (TransactItems.Put is a PutItem…).
    /// </summary>
    [Fact]
    public void TheTaskRoleMayCallExactlyTheDynamoDbOperationsTheAdapterUses()
    {
        var sources = Directory.GetFiles(Path.Combine(RepoFiles.Root, "src", "Couriers.Storage", "DynamoDb"), "*.cs").Select(File.ReadAllText).ToList();
        var calls = sources.SelectMany(s => ClientCall().Matches(s).Select(m => m.Groups[1].Value))
            .Where(op => op is not ("CreateTable" or "TransactWriteItems")); // CreateTable: development only (CreateTables=true); Terraform owns the tables on AWS
        var transactionItems = sources.SelectMany(s => TransactionItem().Matches(s).Select(m => m.Groups[1].Value switch
        {
            "Check" => "ConditionCheckItem",
            var kind => kind + "Item",
        }));
        var used = calls.Concat(transactionItems).Select(op => $"dynamodb:{op}").Distinct().Order();
        Assert.Contains(sources, s => s.Contains("Client.TransactWriteItemsAsync(", StringComparison.Ordinal));

        Assert.Equal(used, terraform.Local("dynamodb_actions").AsArray().Select(a => a.Str()!).Order());

        var policy = Assert.Single(terraform.Files.Select(f => f.Value?["data"]?["aws_iam_policy_document"]?["task"]?[0]).OfType<JsonNode>());
        var statements = policy["statement"]!.AsArray();
        Assert.Equal("${concat(local.table_arns, [for arn in local.table_arns : \"${arn}/index/*\"])}", statements[0]!["resources"].Str());
        Assert.Equal(["s3:PutObject"], statements[1]!["actions"]!.AsArray().Select(a => a.Str()));
        Assert.Equal(["${aws_s3_bucket.operational_log.arn}/events/*"], statements[1]!["resources"]!.AsArray().Select(a => a.Str()));
        Assert.Equal(4, terraform.Local("table_arns").AsArray().Count);
    }

    [Fact]
    public void TheLoadBalancerSendsTrafficOnlyToReadyTasks()
    {
        var check = terraform.Resource("aws_lb_target_group", "api")["health_check"]![0]!;
        Assert.Equal("/health/ready", check["path"].Str());
        var service = terraform.Resource("aws_ecs_service", "api");
        Assert.Equal("FARGATE", service["launch_type"].Str());
        Assert.Contains("--healthcheck", terraform.Resource("aws_ecs_task_definition", "api")["container_definitions"].Str());
    }

    [Fact]
    public void TheProviderCanBePointedAtLocalStack()
    {
        var provider = terraform.Files.Select(f => f.Value?["provider"]?["aws"]?[0]).OfType<JsonNode>().Single();
        Assert.Equal("${var.use_localstack}", provider["skip_credentials_validation"].Str());
        var endpoints = provider["endpoints"]![0]!.AsObject();
        foreach (var service in new[] { "dynamodb", "s3" })
            Assert.Equal("${var.use_localstack ? var.localstack_endpoint : null}", endpoints[service].Str());
    }

    private sealed record TableShape(string? Billing, string? Hash, string? Range, string Attributes, string Indexes);

    private static string TableName(JsonObject table)
    {
        var name = table["name"].Str()!;
        Assert.StartsWith("${local.table_prefix}", name);
        return name["${local.table_prefix}".Length..];
    }

    private IEnumerable<string> NonKeyAttributes(JsonNode index) => index["non_key_attributes"] switch
    {
        null => [],
        JsonArray list => list.Select(a => a.Str()!),
        var reference when reference.Str() == "${local.courier_projection}" => terraform.Local("courier_projection").AsArray().Select(a => a.Str()!),
        var other => throw new InvalidOperationException($"non_key_attributes must be a list or local.courier_projection, not {other}"),
    };

    [GeneratedRegex(@"\b[Cc]lient\.(\w+)Async\(")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"TransactItems\.(Put|Update|Delete|Check)\(")]
    private static partial Regex TransactionItem();
}
