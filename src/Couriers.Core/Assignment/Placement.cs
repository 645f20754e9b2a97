using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// Volume-aware greedy placement shared by the construction and the refill passes.
internal static class Placement
{
    // All packages, smallest first (ties by id): with a count objective a small package is worth
    // as much as a large one and costs less room.
    public static int[] BySize(Problem problem) =>
        Enumerable.Range(0, problem.PackageCount).OrderBy(p => problem.Volume[p]).ThenBy(p => p).ToArray();

    // Picks the driver whose room per remaining slot is the smallest that still covers the package:
    // a driver that can only afford small packages takes the small ones, and room-rich drivers stay
    // free for the large ones that come later. Returns -1 when no compatible driver fits it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ChooseDriver(Problem problem, Allocation allocation, int package, int excluded = -1)
    {
        var volume = problem.Volume[package];
        int best = -1, fallback = -1;
        double bestRatio = double.PositiveInfinity, fallbackRatio = double.NegativeInfinity;
        foreach (var d in problem.ClassDrivers[problem.ClassOf[package]])
        {
            if (d == excluded || !allocation.Fits(package, d))
            {
                continue;
            }

            var room = allocation.RoomLeft[d];
            var ratio = room == VolumeUnits.Unlimited ? double.MaxValue : (double)room / allocation.SlotsLeft[d];
            if (ratio >= volume)
            {
                if (ratio < bestRatio)
                {
                    bestRatio = ratio;
                    best = d;
                }
            }
            else if (ratio > fallbackRatio)
            {
                fallbackRatio = ratio;
                fallback = d;
            }
        }

        return best >= 0 ? best : fallback;
    }

    public static Allocation Greedy(Problem problem, int[] bySize)
    {
        var allocation = new Allocation(problem);
        Refill(problem, allocation, bySize);
        return allocation;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Refill(Problem problem, Allocation allocation, int[] bySize)
    {
        var added = 0;
        foreach (var p in bySize)
        {
            if (allocation.Owner[p] >= 0)
            {
                continue;
            }

            var d = ChooseDriver(problem, allocation, p);
            if (d >= 0)
            {
                allocation.Assign(p, d);
                added++;
            }
        }

        return added;
    }

    // Drops each overfull driver's largest packages until it fits again.
    public static void Repair(Problem problem, Allocation allocation)
    {
        for (var d = 0; d < problem.DriverCount; d++)
        {
            while (allocation.RoomLeft[d] < 0)
            {
                var largest = allocation.Held[d].MaxBy(p => (problem.Volume[p], p));
                allocation.Unassign(largest);
            }
        }
    }
}
