namespace Couriers.Core.Assignment;

/// <summary>
/// An upper bound for the volume-bound case from a Lagrangian relaxation of the drivers' room.
/// With one price μ per milliliter on every room-limited driver, the relaxed problem is a maximum
/// weight matchable set with weights 1 − μ·volume: a matroid, solved exactly by taking packages
/// smallest first while they stay matchable. Its value plus μ·(total room) bounds every plan.
/// Volumes are grouped into buckets, each valued at its smallest volume, which only raises the bound.
/// </summary>
internal static class VolumeBound
{
    private const int Buckets = 48;

    public static int Compute(Problem problem, int[] caps)
    {
        var limitedCaps = new int[problem.DriverCount];
        long unlimitedSlots = 0;
        double totalRoom = 0;
        for (var d = 0; d < problem.DriverCount; d++)
        {
            if (problem.Room[d] == VolumeUnits.Unlimited)
            {
                unlimitedSlots += caps[d];
            }
            else if (caps[d] > 0)
            {
                limitedCaps[d] = caps[d];
                totalRoom += problem.Room[d];
            }
        }

        if (totalRoom == 0 && limitedCaps.All(c => c == 0))
        {
            return int.MaxValue;
        }

        var thresholds = Thresholds(problem);
        var flow = new ClassFlow(problem, limitedCaps, new int[problem.ClassCount]);
        var counted = new int[problem.ClassCount];
        var gained = new int[thresholds.Length];
        var smallest = new long[thresholds.Length];
        var previous = 0;
        for (var b = 0; b < thresholds.Length; b++)
        {
            smallest[b] = long.MaxValue;
            for (var c = 0; c < problem.ClassCount; c++)
            {
                var members = problem.ClassMembers[c];
                var before = counted[c];
                while (counted[c] < members.Length && problem.Volume[members[counted[c]]] <= thresholds[b])
                {
                    smallest[b] = Math.Min(smallest[b], problem.Volume[members[counted[c]]]);
                    counted[c]++;
                }

                if (counted[c] > before)
                {
                    flow.RaiseClassCapacity(c, counted[c]);
                }
            }

            var value = flow.Run();
            gained[b] = value - previous;
            previous = value;
        }

        // L(μ) is convex and piecewise linear in μ, so its minimum sits at μ = 0 or at a breakpoint 1/v.
        double best = previous;
        for (var b = 0; b < thresholds.Length; b++)
        {
            if (smallest[b] <= 0 || smallest[b] == long.MaxValue)
            {
                continue;
            }

            var mu = 1.0 / smallest[b];
            var value = mu * totalRoom;
            for (var k = 0; k < thresholds.Length; k++)
            {
                value += gained[k] * Math.Max(0, 1 - mu * smallest[k]);
            }

            best = Math.Min(best, value);
        }

        // The small epsilon absorbs floating-point noise without letting the bound drop below a true integer optimum.
        var bound = unlimitedSlots + (long)Math.Floor(best + 1e-6);
        return (int)Math.Min(int.MaxValue, bound);
    }

    private static long[] Thresholds(Problem problem)
    {
        var sorted = (long[])problem.Volume.Clone();
        Array.Sort(sorted);
        if (sorted.Length == 0)
        {
            return [];
        }

        var thresholds = new SortedSet<long>();
        for (var b = 1; b <= Buckets; b++)
        {
            thresholds.Add(sorted[Math.Max(0, (int)((long)sorted.Length * b / Buckets) - 1)]);
        }

        thresholds.Add(sorted[^1]);
        return thresholds.ToArray();
    }
}
