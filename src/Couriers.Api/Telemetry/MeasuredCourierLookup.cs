using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;

namespace Couriers.Api.Telemetry;

/// <summary>
/// Counts lookups and the couriers they return. This is the hot path: two counter adds with cached tags,
/// no span, no timer, and no allocation when the index answers synchronously (the usual case).
/// </summary>
internal sealed class MeasuredCourierLookup(ICourierLookup inner, ServiceMetrics metrics) : ICourierLookup
{
    private static readonly KeyValuePair<string, object?> ByCapacity = new(Tags.Kind, "capacity"), ByPackage = new(Tags.Kind, "package"),
        FromIndex = new(Tags.Source, "index"), FromStore = new(Tags.Source, "store");

    public ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) =>
        Counted(inner.LookupAsync(capacityRequired, page, ct), ByCapacity);

    public ValueTask<LookupPage> LookupForAsync(Package package, PageRequest<LookupCursor> page, CancellationToken ct) =>
        Counted(inner.LookupForAsync(package, page, ct), ByPackage);

    private ValueTask<LookupPage> Counted(ValueTask<LookupPage> pending, KeyValuePair<string, object?> kind)
    {
        if (!pending.IsCompletedSuccessfully) return Awaited(pending, kind);
        var page = pending.Result;
        Count(page, kind);
        return ValueTask.FromResult(page);
    }

    private async ValueTask<LookupPage> Awaited(ValueTask<LookupPage> pending, KeyValuePair<string, object?> kind)
    {
        var page = await pending;
        Count(page, kind);
        return page;
    }

    private void Count(LookupPage page, KeyValuePair<string, object?> kind)
    {
        var source = page.FromStore ? FromStore : FromIndex;
        metrics.Lookups.Add(1, kind, source);
        metrics.LookupCouriers.Add(page.Items.Count, kind, source);
    }
}
