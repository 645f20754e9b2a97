namespace Couriers.Core.Assignment;

// A plan built from the linear relaxation's dual prices (a Lagrangian heuristic). A package is worth
// 1 − a_d − l_d·v to driver d, where a_d prices d's slots and l_d its room per unit of volume. The
// (package, driver) pairs worth something are taken best first wherever they still fit, then Refill
// places what it can of the rest. Where slots bind as much as room, the prices keep small packages
// away from drivers whose slots are scarce and send them to drivers with slots and room to spare,
// which the greedy constructions, filling each driver by size, do not.
internal static class PriceGuided
{
    public static Allocation Build(Problem problem, double[] prices, double unit, int[] bySize)
    {
        var drivers = problem.DriverCount;
        var pairs = new List<(double Worth, int Package, int Driver)>();
        for (var p = 0; p < problem.PackageCount; p++)
        {
            var volume = problem.Volume[p] / unit;
            foreach (var d in problem.ClassDrivers[problem.ClassOf[p]])
            {
                var worth = 1 - prices[d] - (prices[drivers + d] * volume);
                if (worth > 0)
                {
                    pairs.Add((worth, p, d));
                }
            }
        }

        // Ties by package then driver index, so the plan depends on the input alone.
        pairs.Sort((x, y) => (-x.Worth, x.Package, x.Driver).CompareTo((-y.Worth, y.Package, y.Driver)));
        var allocation = new Allocation(problem);
        foreach (var (_, p, d) in pairs)
        {
            if (allocation.Owner[p] < 0 && allocation.Fits(p, d))
            {
                allocation.Assign(p, d);
            }
        }

        Placement.Refill(problem, allocation, bySize);
        return allocation;
    }
}
