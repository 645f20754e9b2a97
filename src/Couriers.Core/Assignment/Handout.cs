namespace Couriers.Core.Assignment;

// Turns per-driver class counts from the flow into concrete packages.
internal static class Handout
{
    // Within a class every package is interchangeable for the rules, so only volume matters: the
    // drivers with the least room per package take first and get the smallest packages.
    public static Allocation Concrete(Problem problem, List<(int Class, int Count)>[] counts)
    {
        var allocation = new Allocation(problem);
        var next = new int[problem.ClassCount];
        var order = Enumerable.Range(0, problem.DriverCount)
            .Select(d => (Driver: d, Total: counts[d].Sum(x => x.Count)))
            .Where(x => x.Total > 0)
            .OrderBy(x => problem.Room[x.Driver] == VolumeUnits.Unlimited ? double.PositiveInfinity : (double)problem.Room[x.Driver] / x.Total)
            .ThenBy(x => x.Driver)
            .Select(x => x.Driver);
        foreach (var d in order)
        {
            foreach (var (c, count) in counts[d])
            {
                for (var i = 0; i < count; i++)
                {
                    allocation.Assign(problem.ClassMembers[c][next[c]++], d);
                }
            }
        }

        return allocation;
    }
}
