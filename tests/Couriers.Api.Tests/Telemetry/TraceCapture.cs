using System.Diagnostics;
using OpenTelemetry;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>The exporter's list; other hosts in this process export into it concurrently (the listeners are global).</summary>
internal sealed class ExportedSpans : System.Collections.ObjectModel.Collection<Activity>
{
    public List<Activity> Of(ActivityTraceId traceId)
    {
        lock (Items) return Items.Where(s => s.TraceId == traceId).ToList();
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (Items) base.InsertItem(index, item);
    }
}

/// <summary>Signals when a request's server span has ended (after the client already has the answer).</summary>
internal sealed class RequestEnded : BaseProcessor<Activity>
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ActivityTraceId, TaskCompletionSource> _ended = new();

    public Task WaitFor(ActivityTraceId traceId) => Signal(traceId).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public override void OnEnd(Activity data)
    {
        if (data.Kind == ActivityKind.Server) Signal(data.TraceId).TrySetResult();
    }

    private TaskCompletionSource Signal(ActivityTraceId traceId) =>
        _ended.GetOrAdd(traceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
