using Couriers.Core.Deliveries;
using Couriers.Core.Paging;

namespace Couriers.Core.Lookup;

/// <summary>The Dispatcher's question, answered with each courier's JSON ready to write.</summary>
public interface ICourierLookup
{
    ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct);

    /// <summary>Couriers whose rules accept the package and who have room for its volume, best fit first.</summary>
    ValueTask<LookupPage> LookupForAsync(Package package, PageRequest<LookupCursor> page, CancellationToken ct);
}

/// <param name="FromStore">The store answered (a query), not the capacity index in memory.</param>
public sealed record LookupPage(IReadOnlyList<IndexedCourier> Items, string? NextCursor, bool FromStore = false);

/// <summary>Lookups served by the capacity index, caught up with the store first.</summary>
public sealed class IndexedCourierLookup(CapacityIndex index, ICapacityFeedSource source) : ICourierLookup
{
    public ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        source.CatchUp();
        return ValueTask.FromResult(index.Lookup(capacityRequired, page));
    }

    public ValueTask<LookupPage> LookupForAsync(Package package, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        source.CatchUp();
        return ValueTask.FromResult(index.LookupFor(package, page));
    }
}

/// <summary>Lookups the store answers itself (a store that does not feed an index), rendered per request.</summary>
public sealed class StoreCourierLookup(Couriers.ICourierStore store, IDeliveryStore drivers) : ICourierLookup
{
    public async ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        var found = await store.LookupAsync(capacityRequired, page, ct);
        return new LookupPage(found.Items.Select(c => IndexedCourier.Of(c)).ToList(), found.NextCursor, FromStore: true);
    }

    /// <summary>
    /// The store's lookup for the package's volume, read page after page, keeping the couriers whose rules
    /// (read with them, and parsed as the index parses them) accept the package, until a page is full.
    /// </summary>
    public async ValueTask<LookupPage> LookupForAsync(Package package, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        var kept = new List<IndexedCourier>();
        var after = page.After;
        while (kept.Count <= page.Limit)
        {
            var candidates = await store.LookupAsync(package.VolumeLiters, new PageRequest<LookupCursor>(Math.Max(page.Limit + 1, 100), after), ct);
            var rules = (await drivers.GetDriversAsync(candidates.Items.Select(c => c.Id).ToList(), ct)).ToDictionary(d => d.Courier.Id, d => d.Rules);
            foreach (var courier in candidates.Items)
            {
                var entry = IndexedCourier.Of(courier, CourierRules.Parse(rules.GetValueOrDefault(courier.Id) ?? []));
                if (entry.Rules.Accepts(package)) kept.Add(entry);
            }
            if (candidates.NextCursor is null || candidates.Items.Count == 0) break;
            after = LookupCursor.TryDecode(candidates.NextCursor);
        }
        if (kept.Count <= page.Limit) return new LookupPage(kept, null, FromStore: true);
        kept.RemoveRange(page.Limit, kept.Count - page.Limit);
        var last = kept[^1].Courier;
        return new LookupPage(kept, new LookupCursor(last.AvailableCapacity ?? 0m, last.Id).Encode(), FromStore: true);
    }
}
