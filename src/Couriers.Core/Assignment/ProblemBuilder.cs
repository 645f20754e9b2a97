using System.Numerics;
using System.Runtime.CompilerServices;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Assignment;

internal static class ProblemBuilder
{
    public static Problem Build(AssignmentRequest request, PhaseClock phases)
    {
        var drivers = request.Drivers.ToArray();
        EnsureUnique(drivers.Select(d => d.DriverId), "driver");

        // Sorting by id makes every later tie-break independent of the order the store returned.
        var packages = request.Pool.ToArray();
        var ids = packages.Select(p => p.PackageId).ToArray();
        Array.Sort(ids, packages, StringComparer.Ordinal);
        for (var i = 1; i < ids.Length; i++)
        {
            if (string.Equals(ids[i - 1], ids[i], StringComparison.Ordinal))
            {
                throw new ArgumentException($"duplicate package id '{ids[i]}' in the assignment request");
            }
        }

        var volume = packages.Select(p => VolumeUnits.PackageMilliliters(p.VolumeM3)).ToArray();
        phases.End("sort pool");

        var distinct = drivers
            .SelectMany(d => d.Rules)
            .GroupBy(r => r.SignatureKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToArray();
        var ruleIndex = distinct.Select((r, i) => (r.SignatureKey, i)).ToDictionary(x => x.SignatureKey, x => x.i, StringComparer.Ordinal);
        var words = Math.Max(1, (distinct.Length + 63) / 64);

        var (classOf, classBits) = Classify(packages, distinct, words);
        var classMembers = Members(classOf, classBits.Length, volume);
        phases.End("classify packages");

        var groupIndex = new Dictionary<ulong[], int>(SignatureComparer.Instance);
        var groupMasks = new List<ulong[]>();
        var groupDrivers = new List<List<int>>();
        var groupOf = new int[drivers.Length];
        for (var d = 0; d < drivers.Length; d++)
        {
            var mask = new ulong[words];
            foreach (var rule in drivers[d].Rules)
            {
                var bit = ruleIndex[rule.SignatureKey];
                mask[bit / 64] |= 1UL << (bit % 64);
            }

            if (!groupIndex.TryGetValue(mask, out var g))
            {
                g = groupMasks.Count;
                groupIndex.Add(mask, g);
                groupMasks.Add(mask);
                groupDrivers.Add([]);
            }

            groupOf[d] = g;
            groupDrivers[g].Add(d);
        }

        var classesByRule = ClassesByRule(classBits, distinct.Length);
        var groupClasses = groupMasks.Select(mask => CompatibleClasses(mask, classesByRule, classBits.Length)).ToArray();

        phases.End("compatibility");
        return new Problem
        {
            Packages = packages,
            Volume = volume,
            ClassOf = classOf,
            ClassMembers = classMembers,
            ClassBits = classBits,
            DistinctRules = distinct,
            Drivers = drivers,
            // A driver can never take more than the whole pool; clamping keeps flow capacities within int.
            Slots = drivers.Select(d => Math.Clamp(d.Slots, 0, packages.Length)).ToArray(),
            Room = drivers.Select(d => VolumeUnits.RoomMilliliters(d.RoomLiters)).ToArray(),
            GroupOf = groupOf,
            GroupDrivers = groupDrivers.Select(g => g.ToArray()).ToArray(),
            GroupMask = groupMasks.ToArray(),
            GroupClasses = groupClasses,
        };
    }

    // For each distinct rule, the set of classes it accepts as a bitset over classes. A group's
    // compatible classes are then the AND of its few rules' sets: words, not (group, class) pairs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong[][] ClassesByRule(ulong[][] classBits, int rules)
    {
        var words = (classBits.Length + 63) / 64;
        var result = new ulong[rules][];
        for (var r = 0; r < rules; r++)
        {
            result[r] = new ulong[words];
        }

        for (var c = 0; c < classBits.Length; c++)
        {
            for (var w = 0; w < classBits[c].Length; w++)
            {
                var bits = classBits[c][w];
                while (bits != 0)
                {
                    var r = (w * 64) + BitOperations.TrailingZeroCount(bits);
                    result[r][c / 64] |= 1UL << (c % 64);
                    bits &= bits - 1;
                }
            }
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] CompatibleClasses(ulong[] mask, ulong[][] classesByRule, int classCount)
    {
        var words = (classCount + 63) / 64;
        var accepted = new ulong[words];
        Array.Fill(accepted, ulong.MaxValue);
        if (classCount % 64 != 0)
        {
            accepted[^1] = (1UL << (classCount % 64)) - 1;
        }

        for (var w = 0; w < mask.Length; w++)
        {
            var bits = mask[w];
            while (bits != 0)
            {
                var rule = classesByRule[(w * 64) + BitOperations.TrailingZeroCount(bits)];
                for (var k = 0; k < words; k++)
                {
                    accepted[k] &= rule[k];
                }

                bits &= bits - 1;
            }
        }

        var result = new List<int>();
        for (var k = 0; k < words; k++)
        {
            var bits = accepted[k];
            while (bits != 0)
            {
                result.Add((k * 64) + BitOperations.TrailingZeroCount(bits));
                bits &= bits - 1;
            }
        }

        return result.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] ClassOf, ulong[][] ClassBits) Classify(Package[] packages, IRule[] distinct, int words)
    {
        var classIndex = new Dictionary<ulong[], int>(SignatureComparer.Instance);
        var classBits = new List<ulong[]>();
        var classOf = new int[packages.Length];
        var bits = new ulong[words];
        for (var p = 0; p < packages.Length; p++)
        {
            Array.Clear(bits);
            for (var r = 0; r < distinct.Length; r++)
            {
                if (distinct[r].Accepts(packages[p]))
                {
                    bits[r / 64] |= 1UL << (r % 64);
                }
            }

            // The scratch array is only copied when it starts a new class: a few thousand copies, not one per package.
            if (!classIndex.TryGetValue(bits, out var c))
            {
                c = classBits.Count;
                var copy = (ulong[])bits.Clone();
                classIndex.Add(copy, c);
                classBits.Add(copy);
            }

            classOf[p] = c;
        }

        return (classOf, classBits.ToArray());
    }

    private static int[][] Members(int[] classOf, int classCount, long[] volume)
    {
        var lists = new List<int>[classCount];
        for (var c = 0; c < classCount; c++)
        {
            lists[c] = [];
        }

        // Package indexes are already in id order, so a stable sort by volume breaks ties by id.
        for (var p = 0; p < classOf.Length; p++)
        {
            lists[classOf[p]].Add(p);
        }

        return lists.Select(l => l.OrderBy(p => volume[p]).ToArray()).ToArray();
    }

    private static void EnsureUnique(IEnumerable<string> ids, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                throw new ArgumentException($"duplicate {what} id '{id}' in the assignment request");
            }
        }
    }
}
