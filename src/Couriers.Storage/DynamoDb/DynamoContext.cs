using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// The outcome of a conditional write: applied, or refused with the item as it stood when known.
internal sealed record WriteOutcome(bool Applied, Dictionary<string, AttributeValue>? Item);

// What the DynamoDB stores share: the injected client, resolved table names, settings, the clock,
// and request helpers that translate outages into StoreUnavailableException.
internal sealed partial class DynamoContext(IAmazonDynamoDB client, IOptions<DynamoDbOptions> options, TimeProvider clock)
{
    public IAmazonDynamoDB Client { get; } = client;
    public DynamoDbOptions Options { get; } = options.Value;
    public TimeProvider Clock { get; } = clock;
    public string Couriers => Options.TablePrefix + CourierTable.Name;
    public string Assignments => Options.TablePrefix + AssignmentTable.Name;
    public string Packages => Options.TablePrefix + PackageTable.Name;
    public string Claims => Options.TablePrefix + ClaimTable.Name;
    public DateTimeOffset Now => Clock.GetUtcNow();

    // DynamoDB's limit on the items of one TransactWriteItems.
    public const int MaxTransactionItems = 100;

    // How often a write that only conflicted with another writer's transaction is tried again.
    private const int ConflictRetries = 8;

    public async Task<Dictionary<string, AttributeValue>?> GetAsync(string table, Dictionary<string, AttributeValue> key, CancellationToken ct)
    {
        var response = await DynamoErrors.Call(c => Client.GetItemAsync(new GetItemRequest
        {
            TableName = table, Key = key, ConsistentRead = true,
        }, c), $"a read of {table}", ct);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    // A conditional UpdateItem. When the condition fails the outcome carries the item as it was
    // (ReturnValuesOnConditionCheckFailure).
    public async Task<WriteOutcome> UpdateAsync(string table, Dictionary<string, AttributeValue> key, string update, string? condition,
        Dictionary<string, AttributeValue> values, CancellationToken ct, ReturnValue? returns = null, Dictionary<string, string>? names = null)
    {
        var request = new UpdateItemRequest
        {
            TableName = table,
            Key = key,
            UpdateExpression = update,
            ConditionExpression = condition,
            ExpressionAttributeNames = Names(names, update, condition),
            ExpressionAttributeValues = values.Count > 0 ? values : null,
            ReturnValues = returns ?? ReturnValue.ALL_NEW,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        return await Conditional(async c => (await Client.UpdateItemAsync(request, c)).Attributes, $"an update of {table}", ct);
    }

    public async Task<WriteOutcome> PutAsync(string table, Dictionary<string, AttributeValue> item, string? condition,
        Dictionary<string, AttributeValue>? values, CancellationToken ct)
    {
        var request = new PutItemRequest
        {
            TableName = table,
            Item = item,
            ConditionExpression = condition,
            ExpressionAttributeNames = Names(null, condition),
            ExpressionAttributeValues = values is { Count: > 0 } ? values : null,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        return await Conditional(async c => { await Client.PutItemAsync(request, c); return item; }, $"a write to {table}", ct);
    }

    // Every item a query matches, following LastEvaluatedKey.
    public async Task<List<Dictionary<string, AttributeValue>>> QueryAllAsync(QueryRequest request, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        await foreach (var page in QueryPagesAsync(request, ct)) items.AddRange(page);
        return items;
    }

    public async IAsyncEnumerable<List<Dictionary<string, AttributeValue>>> QueryPagesAsync(QueryRequest request,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        request.ExpressionAttributeNames ??= Names(null, request.KeyConditionExpression, request.FilterExpression);
        do
        {
            var response = await DynamoErrors.Call(c => Client.QueryAsync(request, c), $"a query of {request.TableName}", ct);
            yield return response.Items ?? [];
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (request.ExclusiveStartKey is not null);
    }

    // Consistent reads of many keys of one table (100 per request), retrying unprocessed keys with backoff.
    public async Task<List<Dictionary<string, AttributeValue>>> BatchGetAsync(string table,
        IEnumerable<Dictionary<string, AttributeValue>> keys, CancellationToken ct)
    {
        var found = new List<Dictionary<string, AttributeValue>>();
        foreach (var chunk in keys.Chunk(100))
            found.AddRange((await BatchGetAsync([.. chunk.Select(key => (table, key))], ct)).GetValueOrDefault(table) ?? []);
        return found;
    }

    // One consistent BatchGetItem over several tables (at most 100 keys): the state a transaction is
    // decided on, read in one round trip. The items found, by table.
    public async Task<Dictionary<string, List<Dictionary<string, AttributeValue>>>> BatchGetAsync(
        IReadOnlyList<(string Table, Dictionary<string, AttributeValue> Key)> keys, CancellationToken ct)
    {
        var found = new Dictionary<string, List<Dictionary<string, AttributeValue>>>();
        var pending = keys.GroupBy(k => k.Table).ToDictionary(g => g.Key,
            g => new KeysAndAttributes { Keys = [.. g.Select(k => k.Key)], ConsistentRead = true });
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > Options.UnprocessedRetries)
                throw new Core.StoreUnavailableException($"DynamoDB left keys of {string.Join(", ", pending.Keys)} unread after {round} rounds.");
            if (round > 0) await Task.Delay(Backoff.Delay(round, TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(2)), Clock, ct);
            var request = new BatchGetItemRequest { RequestItems = pending };
            var response = await DynamoErrors.Call(c => Client.BatchGetItemAsync(request, c), $"a batch read of {string.Join(", ", pending.Keys)}", ct);
            foreach (var (table, items) in response.Responses ?? [])
            {
                if (!found.TryGetValue(table, out var list)) found[table] = list = [];
                list.AddRange(items);
            }
            pending = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
        }
        return found;
    }

    // One TransactWriteItems: every item applies or none does. Cancelled only by conflicts with
    // other writers of the same items, it is tried again after a pause; refused by a condition, it
    // returns the reasons for the caller to read again and decide.
    public async Task<TransactOutcome> TransactAsync(List<TransactWriteItem> items, string what, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            // A token per attempt: the SDK's own retries of this request (a lost response, TransactionInProgress)
            // send it again, and DynamoDB applies a token at most once within ten minutes.
            var request = new TransactWriteItemsRequest { TransactItems = items, ClientRequestToken = Guid.NewGuid().ToString("D") };
            IReadOnlyList<CancellationReason> reasons;
            try
            {
                await DynamoErrors.Call(c => Client.TransactWriteItemsAsync(request, c), what, ct);
                return TransactOutcome.Done;
            }
            catch (TransactionCanceledException e)
            {
                reasons = e.CancellationReasons ?? [];
            }
            if (reasons.Any(r => r.Code == "ConditionalCheckFailed") || reasons.All(r => r.Code is null or "None"))
                return new TransactOutcome(false, reasons);
            if (reasons.FirstOrDefault(r => r.Code is not ("None" or "TransactionConflict" or "ThrottlingError" or "ProvisionedThroughputExceeded")) is { } other)
                throw new InvalidOperationException($"DynamoDB refused {what}: {other.Code} {other.Message}");
            if (round >= ConflictRetries)
            {
                if (reasons.Any(r => r.Code == "TransactionConflict"))
                    throw new Core.StoreContentionException($"{what} kept conflicting with other writers; it was not applied.");
                throw new Core.StoreUnavailableException($"DynamoDB kept throttling {what}; it was not applied.");
            }
            await Task.Delay(Backoff.Delay(round, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(500)), Clock, ct);
        }
    }

    private async Task<WriteOutcome> Conditional(Func<CancellationToken, Task<Dictionary<string, AttributeValue>?>> write,
        string what, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                return new WriteOutcome(true, await DynamoErrors.Call(write, what, ct));
            }
            catch (ConditionalCheckFailedException e)
            {
                return new WriteOutcome(false, e.Item is { Count: > 0 } item ? item : null);
            }
            catch (TransactionConflictException) when (round < ConflictRetries)
            {
                // The item is in another writer's transaction right now: nothing was written, try again shortly.
            }
            catch (TransactionConflictException)
            {
                throw new Core.StoreContentionException($"{what} kept conflicting with transactions on the same item; it was not applied.");
            }
            await Task.Delay(Backoff.Delay(round, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(500)), Clock, ct);
        }
    }

    // Every attribute in an expression is written #name, so none can collide with DynamoDB's
    // reserved words (status, size…); this maps each #name to itself, unless given explicitly.
    public static Dictionary<string, string>? Names(Dictionary<string, string>? explicitNames, params string?[] expressions)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            if (expression is null) continue;
            foreach (Match m in NamePattern().Matches(expression))
            {
                if (explicitNames?.ContainsKey(m.Value) == true) continue;
                // Names come from DynamoSchema only: a misspelt or renamed attribute fails here, loudly.
                if (!AttributeNames.Contains(m.Value[1..]))
                    throw new InvalidOperationException($"'{m.Value}' in '{expression}' is not an attribute of DynamoSchema.");
                names[m.Value] = m.Value[1..];
            }
        }
        if (explicitNames is not null) foreach (var (k, v) in explicitNames) names[k] = v;
        return names.Count > 0 ? names : null;
    }

    [GeneratedRegex("#[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex NamePattern();
}
