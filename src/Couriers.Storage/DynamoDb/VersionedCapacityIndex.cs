using Couriers.Core.Couriers;
using Couriers.Core.Lookup;

namespace Couriers.Storage.DynamoDb;

// The capacity index behind a version check. States reach it from this instance's own writes, from polls
// of the change index and from listings, in no fixed order; a state replaces the one held only when it is
// newer: a later incarnation of the id (created later, after a delete), or the same one at a higher version.
// Deletions are remembered for a while, so a late state of a deleted courier cannot bring it back.
internal sealed class VersionedCapacityIndex(CapacityIndex index)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stamp> _held = new(StringComparer.Ordinal);

    // State: The courier as held; null once deleted.
    private readonly record struct Stamp(DateTimeOffset CreatedAt, long Version, DateTimeOffset UpdatedAt, Courier? State)
    {
        public bool Deleted => State is null;

        public bool IsNewerThan(Stamp other) => CreatedAt != other.CreatedAt ? CreatedAt > other.CreatedAt : Version > other.Version;
    }

    public CapacityIndex Index => index;

    public Applied Apply(Courier courier)
    {
        var stamp = new Stamp(courier.CreatedAt, courier.Version, courier.UpdatedAt, courier);
        lock (_gate)
        {
            if (_held.TryGetValue(courier.Id, out var held) && !stamp.IsNewerThan(held))
                return held.State == courier ? Applied.AlreadyHeld : Applied.Older;
            _held[courier.Id] = stamp;
            index.Upsert(courier);
            return Applied.Yes;
        }
    }

    // version: The version the delete gave it: one past the last state it had.
    public bool Remove(string courierId, DateTimeOffset createdAt, long version, DateTimeOffset deletedAt)
    {
        var stamp = new Stamp(createdAt, version, deletedAt, State: null);
        lock (_gate)
        {
            if (_held.TryGetValue(courierId, out var held) && !stamp.IsNewerThan(held)) return false;
            _held[courierId] = stamp;
            index.Remove(courierId);
            return true;
        }
    }

    // After a full listing: a courier held but not listed, and not written since unchangedSince
    // (so the listing could not have missed it for being too recent), was deleted where no poll saw it.
    // Deletions remembered from before forgetBefore are forgotten. Returns how many were removed.
    public int RemoveUnlisted(IReadOnlySet<string> listed, DateTimeOffset unchangedSince, DateTimeOffset forgetBefore)
    {
        var removed = 0;
        lock (_gate)
        {
            foreach (var (id, stamp) in _held.ToList())
            {
                if (stamp.Deleted)
                {
                    if (stamp.UpdatedAt < forgetBefore) _held.Remove(id);
                }
                else if (!listed.Contains(id) && stamp.UpdatedAt < unchangedSince)
                {
                    _held[id] = stamp with { State = null };
                    index.Remove(id);
                    removed++;
                }
            }
        }
        return removed;
    }
}

// What became of a state offered to the index.
internal enum Applied
{
    Yes,
    // The index holds this very state already.
    AlreadyHeld,
    // The index holds a newer state, or another state at this version.
    Older,
}
