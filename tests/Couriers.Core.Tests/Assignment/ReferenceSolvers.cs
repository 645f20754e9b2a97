using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Assignment;

// Slow, obviously correct solvers over individual packages, to compare the engine with.
internal static class ReferenceSolvers
{
    // Maximum b-matching by augmenting paths (Kuhn's algorithm with driver capacities), room ignored.
    public static int MaxMatching(IReadOnlyList<DriverCapacity> drivers, IReadOnlyList<Package> pool)
    {
        var accepts = drivers.Select(d => pool.Select(p => d.Rules.All(r => r.Accepts(p))).ToArray()).ToArray();
        var held = drivers.Select(_ => new List<int>()).ToArray();
        var matched = 0;
        for (var p = 0; p < pool.Count; p++)
        {
            if (TryAugment(p, new bool[drivers.Count]))
            {
                matched++;
            }
        }

        return matched;

        bool TryAugment(int package, bool[] visited)
        {
            for (var d = 0; d < drivers.Count; d++)
            {
                if (!accepts[d][package] || visited[d])
                {
                    continue;
                }

                visited[d] = true;
                if (held[d].Count < Math.Max(0, drivers[d].Slots))
                {
                    held[d].Add(package);
                    return true;
                }

                foreach (var other in held[d].ToList())
                {
                    if (TryAugment(other, visited))
                    {
                        held[d].Remove(other);
                        held[d].Add(package);
                        return true;
                    }
                }
            }

            return false;
        }
    }

    // The true optimum with rules, slots and room, by trying every placement of every package.
    public static int Exhaustive(IReadOnlyList<DriverCapacity> drivers, IReadOnlyList<Package> pool)
    {
        var count = new int[drivers.Count];
        var liters = new decimal[drivers.Count];
        var best = 0;
        Search(0, 0);
        return best;

        void Search(int index, int assigned)
        {
            if (assigned + (pool.Count - index) <= best)
            {
                return;
            }

            if (index == pool.Count)
            {
                best = assigned;
                return;
            }

            var package = pool[index];
            for (var d = 0; d < drivers.Count; d++)
            {
                var driver = drivers[d];
                if (count[d] < driver.Slots
                    && (driver.RoomLiters is not { } room || liters[d] + package.VolumeLiters <= room)
                    && driver.Rules.All(r => r.Accepts(package)))
                {
                    count[d]++;
                    liters[d] += package.VolumeLiters;
                    Search(index + 1, assigned + 1);
                    count[d]--;
                    liters[d] -= package.VolumeLiters;
                }
            }

            Search(index + 1, assigned);
        }
    }
}
