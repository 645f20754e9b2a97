using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// An upper bound for the volume-bound case from a Lagrangian relaxation of the drivers' room.
// With one price μ per milliliter on every room-limited driver, the relaxed problem is a maximum
// weight matchable set with weights 1 − μ·volume: a matroid, solved exactly by taking packages
// smallest first while they stay matchable. Its value plus μ·(total room) bounds every plan.
// The matroid greedy is run per volume bucket with an incremental max flow, which gives how many
// packages it takes from each bucket; those are valued as if they were the bucket's smallest ones,
// which can only raise the bound.
internal static class VolumeBound
{
    private const int Buckets = 16;

    public static int Compute(Problem problem, int[] caps) => ComputeWithPrice(problem, caps).Bound;

    // The bound and the room price per milliliter that gives it (0 when pricing room does not help).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Bound, double Price) ComputeWithPrice(Problem problem, int[] caps)
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

        var thresholds = Thresholds(problem);
        var flow = new ClassFlow(problem, limitedCaps, new int[problem.ClassCount]);
        var counted = new int[problem.ClassCount];
        var taken = new List<long>();
        var previous = 0;
        foreach (var threshold in thresholds)
        {
            var bucket = new List<long>();
            for (var c = 0; c < problem.ClassCount; c++)
            {
                var members = problem.ClassMembers[c];
                var before = counted[c];
                while (counted[c] < members.Length && problem.Volume[members[counted[c]]] <= threshold)
                {
                    bucket.Add(problem.Volume[members[counted[c]]]);
                    counted[c]++;
                }

                if (counted[c] > before)
                {
                    flow.RaiseClassCapacity(c, counted[c]);
                }
            }

            var value = flow.Run();
            bucket.Sort();
            taken.AddRange(bucket.Take(value - previous));
            previous = value;
        }

        var (relaxed, price) = Minimise(taken, totalRoom, previous);
        return ((int)Math.Min(int.MaxValue, unlimitedSlots + relaxed), price);
    }

    // min over μ ≥ 0 of μ·room + Σ max(0, 1 − μ·v) over the taken volumes. The function is convex and
    // piecewise linear with its minimum where the taken volumes below 1/μ just fill the room.
    private static (long Value, double Price) Minimise(List<long> taken, double totalRoom, int matchable)
    {
        taken.Sort();
        double best = matchable;
        double bestPrice = 0;
        double sum = 0;
        for (var i = 0; i < taken.Count; i++)
        {
            // At μ = 1/v_i every volume from v_i up contributes zero.
            if (taken[i] > 0)
            {
                var mu = 1.0 / taken[i];
                var value = mu * totalRoom + i - mu * sum;
                if (value < best)
                {
                    (best, bestPrice) = (value, mu);
                }
            }

            sum += taken[i];
            if (sum > totalRoom && taken[i] > 0)
            {
                break;
            }
        }

        // The small epsilon absorbs floating-point noise without letting the bound drop below a true integer optimum.
        return ((long)Math.Floor(best + 1e-6), bestPrice);
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

        return thresholds.ToArray();
    }
}
