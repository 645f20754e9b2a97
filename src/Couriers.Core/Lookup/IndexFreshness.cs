namespace Couriers.Core.Lookup;

/// <summary>How far the capacity index of this instance can be trusted for lookups.</summary>
public enum IndexFreshness
{
    /// <summary>Not built from the store yet: the instance is not ready.</summary>
    Loading,

    /// <summary>Caught up with the store within the freshness bound: lookups are answered from memory.</summary>
    Fresh,

    /// <summary>Behind by more than the bound: lookups query the store instead, and readiness says Degraded.</summary>
    Behind,
}

/// <summary>
/// An index fed from a store that other instances write too (DynamoDB): readiness reports its state.
/// A store whose every write passes through this process (SQLite) registers none.
/// </summary>
public interface ICapacityIndexStatus
{
    IndexFreshness Freshness { get; }

    /// <summary>How long ago the index last caught up with the store; null while it is loading.</summary>
    TimeSpan? Lag { get; }

    /// <summary>Why it is not fresh (loading, the last error, how long since it caught up), for the health report.</summary>
    string Describe();
}
