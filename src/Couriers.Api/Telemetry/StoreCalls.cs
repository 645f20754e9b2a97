using System.Diagnostics;
using Couriers.Core;
using Couriers.Core.Diagnostics;

namespace Couriers.Api.Telemetry;

/// <summary>
/// Times each store call into couriers.store.duration, counts the ones that throw in couriers.store.errors,
/// and traces each as a child span of the request (named store.{operation}).
/// </summary>
internal sealed class StoreCalls(ServiceMetrics metrics, string store)
{
    public string Store { get; } = store;

    public async Task<T> Run<T>(StoreOperation operation, Func<Task<T>> call, CancellationToken ct)
    {
        using var span = Start(operation);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        catch (Exception error) when (Failed(operation, error, span, ct))
        {
            throw; // never reached: Failed only records
        }
        finally
        {
            metrics.StoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new(Tags.Operation, operation.Name), new(Tags.Store, Store));
        }
    }

    private Activity? Start(StoreOperation operation)
    {
        var span = ServiceActivities.Source.StartActivity(operation.SpanName, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("db.system.name", Store);
            span.SetTag("db.operation.name", operation.Name);
        }
        return span;
    }

    private bool Failed(StoreOperation operation, Exception error, Activity? span, CancellationToken ct)
    {
        // The caller gave up (a client gone, a request timeout): not the store's failure.
        if (error is OperationCanceledException && ct.IsCancellationRequested) return false;
        var type = error switch
        {
            StoreUnavailableException => "store_unavailable",
            OperationCanceledException => "timeout",
            _ => error.GetType().Name,
        };
        metrics.StoreErrors.Add(1, new(Tags.Operation, operation.Name), new(Tags.Store, Store), new(Tags.ErrorType, type));
        span?.SetStatus(ActivityStatusCode.Error, type);
        span?.SetTag(Tags.ErrorType, type);
        return false;
    }
}

/// <summary>A store port's method as it is named in metrics (operation tag) and traces (span name).</summary>
internal sealed record StoreOperation(string Name)
{
    public string SpanName { get; } = "store." + Name;
}

/// <summary>The tag keys of the service's metrics.</summary>
internal static class Tags
{
    public const string Operation = "operation";
    public const string Store = "store";
    public const string ErrorType = "error.type";
    public const string Outcome = "outcome";
    public const string Kind = "kind";
    public const string Source = "source";
    public const string From = "from";
    public const string To = "to";
    public const string Reason = "reason";
    public const string VolumeBinding = "volume_binding";
}
