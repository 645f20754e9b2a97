using Couriers.Storage;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Operations;

// The one reader of the queue: gathers events into batches (up to BatchSize, or whatever arrived
// within FlushInterval of a batch's first event) and writes each batch to the sink, in order.
// A failed write is retried with exponential backoff and jitter up to MaxAttempts; a batch that
// still fails is counted as failed, logged as an error and, for S3, appended to a local file
// (Path/unshipped) instead. While a batch is retried, new events wait in the queue, and past its
// capacity are counted as dropped. On shutdown the queue is closed and drained within
// ShutdownTimeout; what is left then is failed the same way.
internal sealed class OperationalLogShipper(
    OperationalLogQueue queue,
    IEventSink sink,
    IOptions<OperationalLogOptions> options,
    TimeProvider clock,
    ILogger<OperationalLogShipper> log,
    FileEventSink? fallback = null) : BackgroundService
{
    private readonly OperationalLogOptions _options = options.Value;
    private readonly CancellationTokenSource _drainDeadline = new();
    private long _batchNumber;
    private Lazy<Task>? _stopping;

    public override async Task StartAsync(CancellationToken ct)
    {
        log.LogInformation("Operational log: instance {Instance} ships events to {Target}", queue.Instance, sink.Target);
        await base.StartAsync(ct);
    }

    // Closes the queue and waits for it to be shipped, up to ShutdownTimeout (or the host's own deadline).
    public override Task StopAsync(CancellationToken ct)
    {
        // A host may be stopped twice at once (WebApplication.Run's own shutdown and its owner's,
        // which then disposes it): every caller waits for the one drain.
        var drain = new Lazy<Task>(() => DrainAsync(ct));
        return (Interlocked.CompareExchange(ref _stopping, drain, null) ?? drain).Value;
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        queue.Complete();
        _drainDeadline.CancelAfter(TimeSpan.FromSeconds(_options.ShutdownTimeoutSeconds));
        await using (ct.Register(_drainDeadline.Cancel))
        {
            if (ExecuteTask is { } running) await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await base.StopAsync(ct);
        var status = queue.Status.Current();
        log.LogInformation("Operational log stopped: {Shipped} events shipped, {Failed} failed, {Dropped} dropped",
            status.Shipped, status.Failed, status.Dropped);
    }

    // The loop ends when the closed queue is empty. Only the drain deadline, the host giving up, or
    // stoppingToken (cancelled by base.StopAsync after the drain, or by Dispose without a stop) cut it short.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var aborting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _drainDeadline.Token);
        var abort = aborting.Token;
        var batch = new List<OperationalEvent>(_options.BatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(abort))
            {
                await FillAsync(batch, abort);
                try
                {
                    await ShipAsync(batch, abort);
                }
                catch (Exception e) when (!abort.IsCancellationRequested)
                {
                    // Not a sink failure (those are retried inside): a bug must not stop the host or lose count.
                    queue.Status.Failed(batch.Count);
                    log.LogError(e, "Operational log: {Count} events could not be shipped", batch.Count);
                }
                batch.Clear();
            }
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
        }
        // Past the deadline: whatever was not shipped is failed, never silently left behind.
        while (queue.Reader.TryRead(out var left)) batch.Add(left);
        if (batch.Count > 0) await GiveUpAsync(batch, "the shutdown deadline passed");
    }

    // Takes what is queued, then waits for more until the batch is full or the flush interval since its first event is over.
    private async Task FillAsync(List<OperationalEvent> batch, CancellationToken abort)
    {
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(_options.FlushIntervalSeconds), clock);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(window.Token, abort);
        while (batch.Count < _options.BatchSize)
        {
            if (queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                continue;
            }
            try
            {
                if (!await queue.Reader.WaitToReadAsync(wait.Token)) return; // closed and empty: ship what we have
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ShipAsync(List<OperationalEvent> events, CancellationToken abort)
    {
        var batch = new EventBatch(++_batchNumber, events.ToList(), EventJson.Lines(events));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sink.WriteAsync(batch, abort);
                queue.Status.Shipped(batch.Events.Count);
                return;
            }
            catch (Exception e) when (!abort.IsCancellationRequested)
            {
                var retry = attempt < _options.MaxAttempts;
                queue.Status.AttemptFailed(e, retry);
                if (!retry)
                {
                    log.LogError(e, "Operational log: batch {Batch} ({Count} events) not shipped to {Target} after {Attempts} attempts",
                        batch.Number, batch.Events.Count, sink.Target, attempt);
                    await GiveUpAsync(batch.Events, $"{attempt} attempts failed");
                    return;
                }
                var delay = Backoff.Delay(attempt - 1, TimeSpan.FromSeconds(_options.RetryBaseDelaySeconds), TimeSpan.FromSeconds(_options.RetryMaxDelaySeconds));
                log.LogWarning("Operational log: batch {Batch} ({Count} events) to {Target} failed (attempt {Attempt} of {Max}: {Error}); retrying in {Delay} ms",
                    batch.Number, batch.Events.Count, sink.Target, attempt, _options.MaxAttempts, e.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, clock, abort);
            }
        }
    }

    // Counts the events as failed, and keeps them in the local fallback file when there is one.
    private async Task GiveUpAsync(IReadOnlyList<OperationalEvent> events, string why)
    {
        queue.Status.Failed(events.Count);
        var kept = "";
        if (fallback is not null)
        {
            try
            {
                await fallback.WriteAsync(new EventBatch(0, events, EventJson.Lines(events)), CancellationToken.None);
                kept = $"; they are kept in {fallback.Folder}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                kept = $"; they could not be kept locally either ({e.Message})";
            }
        }
        log.LogError("Operational log: {Count} events (sequence {First} to {Last}) failed to ship: {Why}{Kept}",
            events.Count, events[0].Sequence, events[^1].Sequence, why, kept);
    }
}
