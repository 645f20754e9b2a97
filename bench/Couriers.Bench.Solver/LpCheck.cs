using Couriers.Core.Assignment;
using Google.OrTools.LinearSolver;

namespace Couriers.Bench.Solver;

// The linear relaxation of the pair model (fractional packages), solved by GLOP: how far the engine's
// bound is from the bound the linear relaxation would give.
internal static class LpCheck
{
    public static double Solve(AssignmentRequest request)
    {
        var pool = request.Pool;
        var drivers = request.Drivers;
        var solver = Google.OrTools.LinearSolver.Solver.CreateSolver("GLOP");
        var byPackage = pool.Select(_ => new List<Variable>()).ToArray();
        var objective = solver.Objective();
        for (var d = 0; d < drivers.Count; d++)
        {
            var slots = solver.MakeConstraint(double.NegativeInfinity, Math.Max(0, drivers[d].Slots));
            var room = drivers[d].RoomLiters is { } r ? solver.MakeConstraint(double.NegativeInfinity, (double)r) : null;
            for (var p = 0; p < pool.Count; p++)
            {
                if (!drivers[d].Rules.All(x => x.Accepts(pool[p])))
                {
                    continue;
                }

                var x = solver.MakeNumVar(0, 1, "");
                slots.SetCoefficient(x, 1);
                room?.SetCoefficient(x, (double)pool[p].VolumeLiters);
                byPackage[p].Add(x);
                objective.SetCoefficient(x, 1);
            }
        }
        foreach (var vars in byPackage)
        {
            var c = solver.MakeConstraint(double.NegativeInfinity, 1);
            foreach (var x in vars)
            {
                c.SetCoefficient(x, 1);
            }
        }
        objective.SetMaximization();
        solver.Solve();
        return objective.Value();
    }
}
