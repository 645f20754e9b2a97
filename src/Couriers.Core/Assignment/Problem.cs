using Couriers.Core.Deliveries;

namespace Couriers.Core.Assignment;

// The request reduced to classes: packages with the same outcome on every distinct rule form one
// class, drivers with the same rule set form one group, and compatibility is decided once per
// (group, class) pair instead of per (driver, package).
internal sealed class Problem
{
    public required Package[] Packages { get; init; }

    public required long[] Volume { get; init; }

    public required int[] ClassOf { get; init; }

    // Members of each class, smallest volume first, then by package id.
    public required int[][] ClassMembers { get; init; }

    public required ulong[][] ClassBits { get; init; }

    public required IRule[] DistinctRules { get; init; }

    public required DriverCapacity[] Drivers { get; init; }

    public required int[] Slots { get; init; }

    public required long[] Room { get; init; }

    public required int[] GroupOf { get; init; }

    public required int[][] GroupDrivers { get; init; }

    // Indexes of the distinct rules each group's drivers carry.
    public required ulong[][] GroupMask { get; init; }

    public required int[][] GroupClasses { get; init; }

    public int PackageCount => Packages.Length;

    public int ClassCount => ClassMembers.Length;

    public int DriverCount => Drivers.Length;

    public int GroupCount => GroupDrivers.Length;

    private int[][]? _classDrivers;

    // Drivers that accept each class, in driver order; built on first use.
    public int[][] ClassDrivers => _classDrivers ??= BuildClassDrivers();

    private int[][] BuildClassDrivers()
    {
        var lists = new List<int>[ClassCount];
        for (var c = 0; c < ClassCount; c++)
        {
            lists[c] = [];
        }

        for (var d = 0; d < DriverCount; d++)
        {
            foreach (var c in GroupClasses[GroupOf[d]])
            {
                lists[c].Add(d);
            }
        }

        return lists.Select(l => l.ToArray()).ToArray();
    }
}
