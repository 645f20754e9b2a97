using Couriers.Core.Couriers;

namespace Couriers.Core.Lookup;

/// <summary>
/// The one way a store keeps the capacity index in step: it hands over each courier's committed state
/// (or its removal) before it acknowledges the write, and everything it holds when it starts.
/// </summary>
public interface ICapacityFeed
{
    /// <summary>Replaces the whole content: the store's couriers as of one consistent read.</summary>
    void Reset(IEnumerable<Courier> couriers);

    /// <summary>The courier's state as committed; a courier without max_capacity is never a lookup answer.</summary>
    void Upsert(Courier courier);

    void Remove(string courierId);
}

/// <summary>
/// Brings a feed up to every write the store has acknowledged, including writes of other service
/// instances on the same store. A lookup calls it before it reads the index.
/// </summary>
public interface ICapacityFeedSource
{
    void CatchUp();
}
