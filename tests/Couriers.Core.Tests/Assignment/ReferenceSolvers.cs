using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;
using Google.OrTools.LinearSolver;
using CpModel = Google.OrTools.Sat.CpModel;
using CpSolver = Google.OrTools.Sat.CpSolver;
using CpSolverStatus = Google.OrTools.Sat.CpSolverStatus;
using SatExpr = Google.OrTools.Sat.LinearExpr;
using BoolVar = Google.OrTools.Sat.BoolVar;
using ILiteral = Google.OrTools.Sat.ILiteral;

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

    // The linear relaxation (fractional packages) by GLOP, in the engine's units: package volumes rounded
    // up and rooms rounded down to whole milliliters. With capped, each driver may also take no more
    // packages than its smallest compatible ones that fit its room, a limit every plan respects.
    public static double LinearRelaxation(IReadOnlyList<DriverCapacity> drivers, IReadOnlyList<Package> pool, bool capped)
    {
        var milliliters = pool.Select(p => decimal.Ceiling(p.VolumeM3 * 1_000_000m)).ToArray();
        var solver = Solver.CreateSolver("GLOP");
        var packageRows = pool.Select(_ => solver.MakeConstraint(double.NegativeInfinity, 1)).ToArray();
        var objective = solver.Objective();
        foreach (var driver in drivers)
        {
            var accepted = Enumerable.Range(0, pool.Count).Where(p => driver.Rules.All(r => r.Accepts(pool[p]))).ToArray();
            var room = driver.RoomLiters is { } liters ? decimal.Floor(liters * 1_000m) : (decimal?)null;
            var slots = Math.Max(0, driver.Slots);
            if (capped && room is { } limit)
            {
                var fitting = 0;
                var sum = 0m;
                foreach (var volume in accepted.Select(p => milliliters[p]).Order())
                {
                    sum += volume;
                    fitting += sum <= limit ? 1 : 0;
                }

                slots = Math.Min(slots, fitting);
            }

            var slotRow = solver.MakeConstraint(double.NegativeInfinity, slots);
            var roomRow = room is { } r ? solver.MakeConstraint(double.NegativeInfinity, (double)(r / 1_000m)) : null;
            foreach (var p in accepted)
            {
                var x = solver.MakeNumVar(0, 1, "");
                slotRow.SetCoefficient(x, 1);
                roomRow?.SetCoefficient(x, (double)(milliliters[p] / 1_000m));
                packageRows[p].SetCoefficient(x, 1);
                objective.SetCoefficient(x, 1);
            }
        }

        objective.SetMaximization();
        Assert.Equal(Solver.ResultStatus.OPTIMAL, solver.Solve());
        return objective.Value();
    }

    // The most packages CP-SAT finds within the time limit (one boolean per compatible pair, 2 workers), in
    // the engine's units as LinearRelaxation uses them. A lower bound on the optimum, not the optimum.
    public static long CpSat(IReadOnlyList<DriverCapacity> drivers, IReadOnlyList<Package> pool, double seconds)
    {
        var milliliters = pool.Select(p => (long)decimal.Ceiling(p.VolumeM3 * 1_000_000m)).ToArray();
        var model = new CpModel();
        var byPackage = pool.Select(_ => new List<ILiteral>()).ToArray();
        var all = new List<BoolVar>();
        foreach (var driver in drivers)
        {
            var accepted = Enumerable.Range(0, pool.Count).Where(p => driver.Rules.All(r => r.Accepts(pool[p]))).ToArray();
            var vars = accepted.Select(_ => model.NewBoolVar("")).ToArray();
            for (var i = 0; i < accepted.Length; i++) byPackage[accepted[i]].Add(vars[i]);
            all.AddRange(vars);
            model.Add(SatExpr.Sum(vars) <= Math.Max(0, driver.Slots));
            if (driver.RoomLiters is { } liters)
                model.Add(SatExpr.WeightedSum(vars, accepted.Select(p => milliliters[p])) <= (long)decimal.Floor(liters * 1_000m));
        }

        foreach (var literals in byPackage.Where(l => l.Count > 1)) model.AddAtMostOne(literals);
        model.Maximize(SatExpr.Sum(all));
        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{seconds} num_workers:2 random_seed:1" };
        Assert.Contains(solver.Solve(model), new[] { CpSolverStatus.Optimal, CpSolverStatus.Feasible });
        return (long)Math.Round(solver.ObjectiveValue);
    }
}
