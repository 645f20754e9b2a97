using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

internal static class CapacityCaps
{
    // For each driver, the most packages it could take alone: its slots, or fewer when even its
    // smallest compatible packages overflow its room. A valid per-driver cap, so flows under these
    // caps still bound every feasible plan.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] PerDriver(Problem problem)
    {
        var caps = (int[])problem.Slots.Clone();
        for (var g = 0; g < problem.GroupCount; g++)
        {
            var limited = problem.GroupDrivers[g].Where(d => problem.Room[d] != VolumeUnits.Unlimited && caps[d] > 0).ToArray();
            if (limited.Length == 0)
            {
                continue;
            }

            var prefix = SmallestPrefixSums(problem, g, limited.Max(d => caps[d]));
            foreach (var d in limited)
            {
                var k = 0;
                while (k < caps[d] && k < prefix.Count && prefix[k] <= problem.Room[d])
                {
                    k++;
                }

                caps[d] = k;
            }
        }

        return caps;
    }

    // k-way merge over the group's compatible classes, each already sorted by volume.
    private static List<long> SmallestPrefixSums(Problem problem, int group, int count)
    {
        var heap = new PriorityQueue<(int Class, int Index), long>();
        foreach (var c in problem.GroupClasses[group])
        {
            heap.Enqueue((c, 0), problem.Volume[problem.ClassMembers[c][0]]);
        }

        var prefix = new List<long>(count);
        long sum = 0;
        while (prefix.Count < count && heap.TryDequeue(out var item, out var volume))
        {
            sum += volume;
            prefix.Add(sum);
            var members = problem.ClassMembers[item.Class];
            if (item.Index + 1 < members.Length)
            {
                heap.Enqueue((item.Class, item.Index + 1), problem.Volume[members[item.Index + 1]]);
            }
        }

        return prefix;
    }
}
