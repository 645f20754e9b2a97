using Couriers.Core.Couriers;

namespace Couriers.Core.Lookup;

/// <summary>
/// A courier as the capacity index holds it: its snapshot, its sort key (available room in whole
/// milliliters, then id) and its JSON, rendered once when the courier changed so a lookup only copies bytes.
/// </summary>
public sealed class IndexedCourier
{
    private IndexedCourier(Courier? courier, long availableMl, string id, byte[] json, CourierRules rules)
    {
        Courier = courier!;
        AvailableMl = availableMl;
        Id = id;
        Json = json;
        Rules = rules;
    }

    public Courier Courier { get; }

    /// <summary>max − declared − reserved, unclamped: the value the store sorts and filters by.</summary>
    public long AvailableMl { get; }

    public string Id { get; }

    public byte[] Json { get; }

    /// <summary>The courier's rules, parsed: a lookup by package keeps only couriers whose rules accept it.</summary>
    public CourierRules Rules { get; }

    public static IndexedCourier Of(Courier courier) => Of(courier, CourierRules.None);

    public static IndexedCourier Of(Courier courier, CourierRules rules) =>
        new(courier, AvailableMlOf(courier), courier.Id, CourierJson.Render(courier), rules);

    internal IndexedCourier WithRules(CourierRules rules) => new(Courier, AvailableMl, Id, Json, rules);

    /// <summary>A search key: no courier sorts equal to it, because no id is empty.</summary>
    internal static IndexedCourier Key(long availableMl, string id) => new(null, availableMl, id, [], CourierRules.None);

    public static long AvailableMlOf(Courier courier) =>
        Liters.ToMilliliters(courier.MaxCapacity ?? 0m) - Liters.ToMilliliters(courier.DeclaredLoad) - Liters.ToMilliliters(courier.ReservedCapacity);

    /// <summary>Best fit first: least room, then id (ordinal, as SQLite's BINARY collation sorts ASCII ids).</summary>
    internal static int Compare(IndexedCourier a, IndexedCourier b) =>
        a.AvailableMl != b.AvailableMl ? a.AvailableMl.CompareTo(b.AvailableMl) : string.CompareOrdinal(a.Id, b.Id);
}
