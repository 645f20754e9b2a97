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

    /// <summary>The same, with each courier's rules (which lookups by package test).</summary>
    void Reset(IEnumerable<(Courier Courier, IReadOnlyList<Deliveries.RuleSpec> Rules)> couriers);

    /// <summary>
    /// The courier's state as committed; a courier without max_capacity is never a lookup answer. The rules
    /// the index holds for it are kept: a feed that reads rules calls the overload with them.
    /// </summary>
    void Upsert(Courier courier);

    /// <summary>The courier's state and rules as committed.</summary>
    void Upsert(Courier courier, IReadOnlyList<Deliveries.RuleSpec> rules);

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
