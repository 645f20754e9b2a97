using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
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

    public void Reset(IEnumerable<Courier> couriers) => Reset(couriers.Select(c => IndexedCourier.Of(c)));

    public void Reset(IEnumerable<(Courier Courier, IReadOnlyList<RuleSpec> Rules)> couriers) =>
        Reset(couriers.Select(c => IndexedCourier.Of(c.Courier, CourierRules.Parse(c.Rules))));

    private void Reset(IEnumerable<IndexedCourier> couriers)
    {
        var entries = couriers.Where(c => c.Courier.MaxCapacity is not null).ToList();
        entries.Sort(IndexedCourier.Compare);
        lock (_write)
        {
            _byId.Clear();
            foreach (var entry in entries) _byId[entry.Id] = entry;
            _root = SortedTree.Build(entries);
        }
    }

    public void Upsert(Courier courier) => Put(courier, rules: null);

    public void Upsert(Courier courier, IReadOnlyList<RuleSpec> rules) => Put(courier, CourierRules.Parse(rules));

    private void Put(Courier courier, CourierRules? rules)
    {
        if (courier.MaxCapacity is null)
        {
            Remove(courier.Id);
            return;
        }
        // Rendered outside the lock: writers hold it only to swap the tree.
        var entry = IndexedCourier.Of(courier, rules ?? CourierRules.None);
        lock (_write)
        {
            var root = _root;
            var known = _byId.TryGetValue(courier.Id, out var old);
            if (rules is null && known) entry = entry.WithRules(old!.Rules);
            if (known) root = SortedTree.Remove(root, old!);
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
    public LookupPage Lookup(decimal capacityRequired, PageRequest<LookupCursor> page) => Lookup(capacityRequired, page, accept: null);

    /// <summary>
    /// Couriers whose rules accept the package and who have room for its volume, best fit first: the same
    /// walk, skipping the couriers whose rules refuse it. The cursor is the last courier answered, so a
    /// page goes on exactly where the previous one stopped.
    /// </summary>
    public LookupPage LookupFor(Package package, PageRequest<LookupCursor> page) =>
        Lookup(package.VolumeLiters, page, entry => entry.Rules.Accepts(package));

    private LookupPage Lookup(decimal capacityRequired, PageRequest<LookupCursor> page, Func<IndexedCourier, bool>? accept)
    {
        var bound = IndexedCourier.Key(Liters.ToMilliliters(capacityRequired), "");
        if (page.After is { } after)
        {
            var cursor = IndexedCourier.Key(Liters.ToMilliliters(after.Available), after.Id);
            if (IndexedCourier.Compare(cursor, bound) > 0) bound = cursor;
        }
        // One more than asked tells whether another page exists.
        var items = accept is null ? SortedTree.After(_root, bound, page.Limit + 1) : SortedTree.After(_root, bound, page.Limit + 1, accept);
        if (items.Count <= page.Limit) return new LookupPage(items, null);
        items.RemoveAt(page.Limit);
        var last = items[^1].Courier;
        return new LookupPage(items, new LookupCursor(last.AvailableCapacity ?? 0m, last.Id).Encode());
    }
}
