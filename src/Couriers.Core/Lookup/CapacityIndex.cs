using Couriers.Core.Couriers;
using Couriers.Core.Paging;

namespace Couriers.Core.Lookup;

/// <summary>
/// Every courier with a max_capacity, sorted by (available room, id), in memory. Writers replace the
/// tree's root with a new one that shares all but one path (a persistent AVL tree), so a lookup reads
/// whichever root it found, without a lock, and never waits for a writer nor makes one wait.
/// </summary>
public sealed class CapacityIndex : ICapacityFeed
{
    private readonly Lock _write = new();
    private readonly Dictionary<string, IndexedCourier> _byId = new(StringComparer.Ordinal);
    private volatile SortedTree.Node? _root;

    public int Count
    {
        get { lock (_write) return _byId.Count; }
    }

    public void Reset(IEnumerable<Courier> couriers)
    {
        var entries = couriers.Where(c => c.MaxCapacity is not null).Select(IndexedCourier.Of).ToList();
        entries.Sort(IndexedCourier.Compare);
        lock (_write)
        {
            _byId.Clear();
            foreach (var entry in entries) _byId[entry.Id] = entry;
            _root = SortedTree.Build(entries);
        }
    }

    public void Upsert(Courier courier)
    {
        if (courier.MaxCapacity is null)
        {
            Remove(courier.Id);
            return;
        }
        var entry = IndexedCourier.Of(courier);
        lock (_write)
        {
            var root = _root;
            if (_byId.TryGetValue(courier.Id, out var old)) root = SortedTree.Remove(root, old);
            _byId[courier.Id] = entry;
            _root = SortedTree.Insert(root, entry);
        }
    }

    public void Remove(string courierId)
    {
        lock (_write)
        {
            if (!_byId.Remove(courierId, out var old)) return;
            _root = SortedTree.Remove(_root, old);
        }
    }

    /// <summary>Couriers with at least the required room after the cursor, best fit first, as the store's own query answers.</summary>
    public LookupPage Lookup(decimal capacityRequired, PageRequest<LookupCursor> page)
    {
        var bound = IndexedCourier.Key(Liters.ToMilliliters(capacityRequired), "");
        if (page.After is { } after)
        {
            var cursor = IndexedCourier.Key(Liters.ToMilliliters(after.Available), after.Id);
            if (IndexedCourier.Compare(cursor, bound) > 0) bound = cursor;
        }
        // One more than asked tells whether another page exists.
        var items = SortedTree.After(_root, bound, page.Limit + 1);
        if (items.Count <= page.Limit) return new LookupPage(items, null);
        items.RemoveAt(page.Limit);
        var last = items[^1].Courier;
        return new LookupPage(items, new LookupCursor(last.AvailableCapacity ?? 0m, last.Id).Encode());
    }
}
