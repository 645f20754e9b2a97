using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Couriers.Storage.DynamoDb;

// Runs at startup (a hosted service): with CreateTables (development) missing tables are created
// from DynamoSchema; otherwise (production, where Terraform owns the tables) a missing or
// differently keyed table stops startup with a message that says what to do.
internal sealed class TableBootstrapper(IAmazonDynamoDB client, IOptions<DynamoDbOptions> options, TimeProvider clock,
    ILogger<TableBootstrapper> logger) : IHostedService
{
    private static readonly TimeSpan ActiveWithin = TimeSpan.FromMinutes(2);

    public Task StartAsync(CancellationToken ct) => EnsureTablesAsync(ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task EnsureTablesAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var missing = new List<string>();
        var problems = new List<string>();
        var created = new List<string>();
        foreach (var wanted in DynamoSchema.CreateTableRequests(settings.TablePrefix))
        {
            var found = await DescribeAsync(wanted.TableName, ct);
            if (found is not null)
            {
                problems.AddRange(Differences(wanted, found));
                continue;
            }
            if (!settings.CreateTables) { missing.Add(wanted.TableName); continue; }
            try
            {
                await client.CreateTableAsync(wanted, ct);
                logger.LogInformation("Created DynamoDB table {Table}", wanted.TableName);
            }
            catch (ResourceInUseException)
            {
                // Another instance created it at the same moment.
            }
            created.Add(wanted.TableName);
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"DynamoDB tables are missing: {string.Join(", ", missing)}. Create them with Terraform (infra/), or set "
                + "Storage:DynamoDb:CreateTables=true to let a development instance create them.");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException($"DynamoDB tables differ from DynamoSchema: {string.Join("; ", problems)}.");
        foreach (var table in created) await WaitUntilActiveAsync(table, ct);
    }

    private async Task<TableDescription?> DescribeAsync(string table, CancellationToken ct)
    {
        try
        {
            return (await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Differences(CreateTableRequest wanted, TableDescription found)
    {
        static string Keys(IEnumerable<KeySchemaElement>? keys) =>
            string.Join(",", (keys ?? []).Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        if (Keys(wanted.KeySchema) != Keys(found.KeySchema))
            yield return $"{wanted.TableName} is keyed {Keys(found.KeySchema)}, expected {Keys(wanted.KeySchema)}";
        foreach (var index in wanted.GlobalSecondaryIndexes ?? [])
        {
            var have = found.GlobalSecondaryIndexes?.FirstOrDefault(i => i.IndexName == index.IndexName);
            if (have is null) yield return $"{wanted.TableName} lacks index {index.IndexName}";
            else if (Keys(have.KeySchema) != Keys(index.KeySchema))
                yield return $"{wanted.TableName}.{index.IndexName} is keyed {Keys(have.KeySchema)}, expected {Keys(index.KeySchema)}";
        }
    }

    private async Task WaitUntilActiveAsync(string table, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + ActiveWithin;
        for (var round = 0; ; round++)
        {
            var description = await DescribeAsync(table, ct);
            var indexesReady = description?.GlobalSecondaryIndexes?.All(i => i.IndexStatus == IndexStatus.ACTIVE) ?? true;
            if (description?.TableStatus == TableStatus.ACTIVE && indexesReady) return;
            if (clock.GetUtcNow() > deadline) throw new InvalidOperationException($"DynamoDB table {table} did not become ACTIVE within {ActiveWithin}.");
            await Task.Delay(Backoff.Delay(round, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)), clock, ct);
        }
    }
}
