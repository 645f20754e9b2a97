using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Lookup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// Keeps this instance's capacity index in step with the table (docs/decisions/0005-capacity-index-on-dynamodb.md).
// At start it lists every courier through the list index; then it polls the change index (by_change: each
// shard's couriers and deletion markers by updated_at) twice per freshness bound, from the start of its
// last successful poll less the overlap. This instance's own writes are applied before they are
// acknowledged. The index answers lookups only while its last successful poll started within the bound.
internal sealed class CapacityIndexFeed : IHostedService, ICapacityIndexStatus, IAsyncDisposable, IDisposable
{
    private readonly DynamoContext _db;
    private readonly ILogger<CapacityIndexFeed> _logger;
    private readonly VersionedCapacityIndex _index;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _starting = new();
    private Task? _started;
    private Task? _loop;
    private TaskCompletionSource _attempted = NewSignal();
    private long _caughtUpTicks; // UTC ticks of the start of the last successful read; 0 before the first
    private DateTimeOffset _nextResync;
    private Task _resync = Task.CompletedTask;
    private string? _failure;

    public CapacityIndexFeed(DynamoContext db, CapacityIndex index, ILogger<CapacityIndexFeed> logger)
    {
        _db = db;
        _logger = logger;
        _index = new VersionedCapacityIndex(index);
        var options = db.Options;
        Bound = TimeSpan.FromMilliseconds(options.IndexFreshnessMilliseconds);
        Overlap = TimeSpan.FromMilliseconds(options.IndexOverlapMilliseconds);
        ResyncEvery = TimeSpan.FromSeconds(options.IndexResyncSeconds);
    }

    public TimeSpan Bound { get; }

    public TimeSpan Overlap { get; }

    public TimeSpan ResyncEvery { get; }

    // Two polls per bound: one poll lost or late still leaves the index within it.
    public TimeSpan PollEvery => Bound / 2;

    public CapacityIndex Index => _index.Index;

    // When the last successful read of the table started: the index holds every change visible then.
    public DateTimeOffset? CaughtUpAt => Interlocked.Read(ref _caughtUpTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public bool IsFresh => CaughtUpAt is { } at && _db.Now - at <= Bound;

    public TimeSpan? Lag => CaughtUpAt is { } at ? _db.Now - at : null;

    public IndexFreshness Freshness => CaughtUpAt is null ? IndexFreshness.Loading : IsFresh ? IndexFreshness.Fresh : IndexFreshness.Behind;

    public string Describe() => CaughtUpAt is not { } at
        ? "capacity index loading from the table"
        : $"capacity index caught up {(_db.Now - at).TotalMilliseconds:0} ms ago (bound {Bound.TotalMilliseconds:0} ms)"
          + (_failure is { } failure ? $"; last poll failed: {failure}" : "");

    // Completes when the next poll ends, whether it caught up or failed.
    public Task NextPollAsync() => Volatile.Read(ref _attempted).Task;

    // Builds the index from the table, then polls in the background. Every caller waits for the same build;
    // after a failed one (the table did not answer) the next caller tries again.
    public Task StartAsync(CancellationToken ct)
    {
        lock (_starting)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled) _started = LoadAndRunAsync(ct);
            return _started;
        }
    }

    private async Task LoadAndRunAsync(CancellationToken ct)
    {
        var started = _db.Now;
        var count = await ListAsync(ct);
        Interlocked.Exchange(ref _caughtUpTicks, started.UtcTicks);
        _nextResync = started + ResyncEvery;
        _logger.LogInformation("Capacity index built from the table: {Couriers} couriers", count);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        if (_loop is { } loop) await loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _resync.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    // A provider disposed synchronously only stops the loop; it ends at its next await.
    public void Dispose() => _stop.Cancel();

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, _db.Clock, ct);
                await CatchUpAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            // Beside the polls, not between them: a listing of a large fleet takes longer than the bound.
            if (_db.Now >= _nextResync && _resync.IsCompleted)
            {
                _nextResync = _db.Now + ResyncEvery;
                _resync = ResyncAsync(ct);
            }
        }
    }

    // One poll of the change index now. False when it failed (the index then ages towards Behind).
    public async Task<bool> CatchUpAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            var started = _db.Now;
            var since = (CaughtUpAt ?? started) - Overlap;
            try
            {
                var changes = await Task.WhenAll(Enumerable.Range(0, _db.Options.LookupShards).Select(shard => _db.QueryAllAsync(new QueryRequest
                {
                    TableName = _db.Couriers,
                    IndexName = CourierTable.ByChange,
                    KeyConditionExpression = "#change_shard = :shard AND #updated_at >= :since",
                    ExpressionAttributeValues = new() { [":shard"] = S($"s#{shard}"), [":since"] = Time(since) },
                }, ct)));
                foreach (var item in changes.SelectMany(c => c)) Apply(item);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (_failure is null) _logger.LogWarning(e, "Polling the change index failed; lookups query the table once the index is {Bound} behind", Bound);
                _failure = e.Message;
                return false;
            }
            if (_failure is not null) _logger.LogInformation("Polling the change index works again");
            _failure = null;
            Interlocked.Exchange(ref _caughtUpTicks, started.UtcTicks);
            return true;
        }
        finally
        {
            _reading.Release();
            Interlocked.Exchange(ref _attempted, NewSignal()).TrySetResult();
        }
    }

    private void Apply(Dictionary<string, AttributeValue> item)
    {
        if (DeletionMarkers.CourierOf(item.Str(CourierTable.Id)!) is { } deleted)
            _index.Remove(deleted, item.Timestamp(CourierTable.CreatedAt), item.Long(CourierTable.Version) ?? 0, item.Timestamp(CourierTable.UpdatedAt));
        else
            _index.Apply(ToCourier(item));
    }

    // Every courier through the list index, applied like any other state; how many there were. Polls may
    // run meanwhile: the version check orders what both bring.
    private async Task<int> ListAsync(CancellationToken ct, ISet<string>? listed = null)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, _db.Options.LookupShards).Select(shard => _db.QueryAllAsync(new QueryRequest
        {
            TableName = _db.Couriers,
            IndexName = CourierTable.ById,
            KeyConditionExpression = "#list_shard = :shard",
            ExpressionAttributeValues = new() { [":shard"] = S($"s#{shard}") },
        }, ct)));
        var count = 0;
        foreach (var courier in shards.SelectMany(items => items).Select(ToCourier))
        {
            _index.Apply(courier);
            listed?.Add(courier.Id);
            count++;
        }
        return count;
    }

    // The listing again, for deletions that no poll saw (a marker that landed later than the overlap allows).
    private async Task ResyncAsync(CancellationToken ct)
    {
        var started = _db.Now;
        try
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            await ListAsync(ct, listed);
            var removed = _index.RemoveUnlisted(listed, unchangedSince: started - Overlap, forgetBefore: started - ResyncEvery);
            if (removed > 0) _logger.LogWarning("Resync removed {Count} deleted couriers that no poll had shown", removed);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Resync of the capacity index with the table failed; the next one is in {Period}", ResyncEvery);
        }
    }

    // A courier as this instance's write left it, applied before the write is acknowledged. The state is the
    // one the write was decided on plus its change; when the index holds another state at that version or a
    // newer one (another writer landed in between), the courier is read back, so the index holds the write either way.
    // A write that landed later than half the overlap after its updated_at is stamped again, so polls that
    // had already passed that time still see it.
    public async Task WrittenAsync(Courier after, CancellationToken ct)
    {
        try
        {
            if (_index.Apply(after) == Applied.Older && await _db.GetAsync(_db.Couriers, Key(CourierTable.Id, after.Id), ct) is { } item)
                _index.Apply(ToCourier(item));
            await RestampAsync(after.Id, after.Version, after.UpdatedAt, ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreContentionException)
        {
            // The write itself is done; the next poll brings the index up to it.
            _logger.LogWarning(e, "The capacity index could not read back courier {Courier} after a write", after.Id);
        }
    }

    // A courier this instance deleted, with the version its deletion marker carries.
    public async Task DeletedAsync(Courier deleted, DateTimeOffset at, CancellationToken ct)
    {
        _index.Remove(deleted.Id, deleted.CreatedAt, deleted.Version + 1, at);
        try
        {
            await RestampAsync(DeletionMarkers.Prefix + deleted.Id, deleted.Version + 1, at, ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreContentionException)
        {
            _logger.LogWarning(e, "The deletion marker of courier {Courier} could not be stamped again", deleted.Id);
        }
    }

    // A courier as a consistent read found it (a refused write): newer than the index's, it replaces it.
    public void Observed(Courier courier) => _index.Apply(courier);

    // A write that landed later than half the overlap after its updated_at gets updated_at = now, without a new
    // version (instances that have it ignore the change), again while the restamp itself lands late (a store
    // slowed down), so the first poll that starts after the write lands still finds it. A newer version stops it:
    // that write carries its own stamp.
    private async Task RestampAsync(string itemId, long version, DateTimeOffset stamped, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxRestamps && _db.Now - stamped > Overlap / 2; attempt++)
        {
            stamped = _db.Now;
            var outcome = await _db.UpdateAsync(_db.Couriers, Key(CourierTable.Id, itemId), "SET #updated_at = :now", "#version = :version",
                new() { [":now"] = Time(stamped), [":version"] = N(version) }, ct, ReturnValue.NONE);
            if (!outcome.Applied) return;
        }
    }

    private const int MaxRestamps = 5;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
