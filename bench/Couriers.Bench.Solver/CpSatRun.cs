using System.Diagnostics;
using Couriers.Core.Assignment;
using Google.OrTools.Sat;

namespace Couriers.Bench.Solver;

public sealed record CpSatResult(long Best, long Bound, string Status, double Seconds, double BuildSeconds);

/// <summary>
/// The same day as a CP-SAT model with one boolean per compatible (driver, package) pair: at most one
/// driver per package, a driver's slots and room, maximise the packages assigned. Volumes are whole
/// milliliters rounded as the engine rounds them (packages up, rooms down), divided by their common
/// divisor, so both solve exactly the same problem.
/// </summary>
public static class CpSatRun
{
    public static CpSatResult Solve(AssignmentRequest request, double seconds, int workers, AssignmentPlan? hint)
    {
        var build = Stopwatch.StartNew();
        var pool = request.Pool;
        var drivers = request.Drivers;
        var volume = pool.Select(p => (long)decimal.Ceiling(p.VolumeM3 * 1_000_000m)).ToArray();
        var room = drivers.Select(d => d.RoomLiters is { } r ? (long)decimal.Floor(r * 1_000m) : -1).ToArray();
        var unit = volume.Concat(room.Where(r => r > 0)).Aggregate(0L, Gcd);
        unit = Math.Max(1, unit);

        var held = hint?.Assignments.Select(a => a.PackageIds.ToHashSet(StringComparer.Ordinal)).ToArray();
        var model = new CpModel();
        var byPackage = pool.Select(_ => new List<ILiteral>()).ToArray();
        var objective = new List<BoolVar>();
        for (var d = 0; d < drivers.Count; d++)
        {
            var driver = drivers[d];
            var vars = new List<BoolVar>();
            var weights = new List<long>();
            for (var p = 0; p < pool.Count; p++)
            {
                if (!driver.Rules.All(r => r.Accepts(pool[p])))
                {
                    continue;
                }

                var x = model.NewBoolVar("");
                vars.Add(x);
                weights.Add(volume[p] / unit);
                byPackage[p].Add(x);
                objective.Add(x);
                if (held is not null)
                {
                    model.AddHint(x, held[d].Contains(pool[p].PackageId));
                }
            }

            if (vars.Count == 0)
            {
                continue;
            }

            model.Add(LinearExpr.Sum(vars) <= Math.Max(0, driver.Slots));
            if (room[d] >= 0)
            {
                model.Add(LinearExpr.WeightedSum(vars, weights) <= room[d] / unit);
            }
        }

        foreach (var literals in byPackage.Where(l => l.Count > 1))
        {
            model.AddAtMostOne(literals);
        }

        model.Maximize(LinearExpr.Sum(objective));
        build.Stop();

        var solver = new CpSolver
        {
            StringParameters = $"max_time_in_seconds:{seconds} num_workers:{workers} random_seed:1",
        };
        var watch = Stopwatch.StartNew();
        var status = solver.Solve(model);
        watch.Stop();
        var found = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        return new CpSatResult(
            found ? (long)Math.Round(solver.ObjectiveValue) : 0,
            (long)Math.Floor(solver.BestObjectiveBound + 1e-6),
            status.ToString(),
            watch.Elapsed.TotalSeconds,
            build.Elapsed.TotalSeconds);
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
