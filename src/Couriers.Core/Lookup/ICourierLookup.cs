using Couriers.Core.Paging;

namespace Couriers.Core.Lookup;

/// <summary>The Dispatcher's question, answered with each courier's JSON ready to write.</summary>
public interface ICourierLookup
{
    ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct);
}

public sealed record LookupPage(IReadOnlyList<IndexedCourier> Items, string? NextCursor);

/// <summary>Lookups served by the capacity index, caught up with the store first.</summary>
public sealed class IndexedCourierLookup(CapacityIndex index, ICapacityFeedSource source) : ICourierLookup
{
    public ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        source.CatchUp();
        return ValueTask.FromResult(index.Lookup(capacityRequired, page));
    }
}

/// <summary>Lookups the store answers itself (a store that does not feed an index), rendered per request.</summary>
public sealed class StoreCourierLookup(Couriers.ICourierStore store) : ICourierLookup
{
    public async ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        var found = await store.LookupAsync(capacityRequired, page, ct);
        return new LookupPage(found.Items.Select(IndexedCourier.Of).ToList(), found.NextCursor);
    }
}
