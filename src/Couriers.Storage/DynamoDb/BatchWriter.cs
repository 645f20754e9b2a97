using Amazon.DynamoDBv2.Model;
using Couriers.Core;

namespace Couriers.Storage.DynamoDb;

// BatchWriteItem in chunks of 25 (DynamoDB's limit). DynamoDB may accept part of a chunk and hand
// back the rest as UnprocessedItems (throttling, a busy partition); those are sent again after an
// exponential backoff with jitter until written or the rounds run out. Puts and deletes are
// idempotent, so a batch interrupted by a crash is completed by sending it again.
internal sealed class BatchWriter(DynamoContext context)
{
    public const int ChunkSize = 25;

    public async Task WriteAsync(string table, IReadOnlyList<WriteRequest> writes, CancellationToken ct)
    {
        if (writes.Count == 0) return;
        await Parallel.ForEachAsync(writes.Chunk(ChunkSize),
            new ParallelOptions { MaxDegreeOfParallelism = context.Options.WriteParallelism, CancellationToken = ct },
            async (chunk, token) => await WriteChunkAsync(table, chunk, token));
    }

    private async Task WriteChunkAsync(string table, WriteRequest[] chunk, CancellationToken ct)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [table] = [.. chunk] };
        for (var round = 0; ; round++)
        {
            var response = await DynamoErrors.Call(c => context.Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, c),
                $"a batch write to {table}", ct);
            if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(list => list.Count == 0)) return;
            if (round >= context.Options.UnprocessedRetries)
            {
                throw new StoreUnavailableException(
                    $"DynamoDB left {unprocessed.Values.Sum(l => l.Count)} writes to {table} unprocessed after {round + 1} rounds; sending the batch again completes it.");
            }
            pending = unprocessed;
            await Task.Delay(Backoff.Delay(round, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)), context.Clock, ct);
        }
    }
}
