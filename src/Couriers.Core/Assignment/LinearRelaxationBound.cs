namespace Couriers.Core.Assignment;

// Bound: the dual's best value rounded down (int.MaxValue when nothing was evaluated).
// Prices: the per-driver dual's point with the best value (slot prices, then room prices per Unit of
// volume), or null for the group dual.
internal sealed record DualBoundResult(int Bound, double Value, int Evaluations, bool PerDriver, double[]? Prices = null, double Unit = 1);

// An upper bound from the dual of the linear relaxation (fractional packages, each driver's slots
// and room), which is within a fraction of a percent of the best plans where room binds, unlike
// the flow bounds. Every dual point is a valid bound, so the search only has to find a good one:
// projected L-BFGS on a smoothed dual, the smoothing lowered step by step, keeping the best exact
// value seen. The work is a fixed schedule of evaluations (deterministic), cut short only when the
// caller says the time is up.
internal static class LinearRelaxationBound
{
    // Up to this many (accepting driver, package) pairs the per-driver dual is evaluated; above it
    // the group room-price dual, whose evaluation is over (group, class) pairs.
    public const long PerDriverPairLimit = 400_000;

    private const int StepsPerTemperature = 30;
    private const int MaxEvaluations = 320;
    private static readonly double[] Temperatures = [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003];

    // From equal room prices the first, coarse temperatures are not needed.
    private static readonly double[] WarmTemperatures = [0.01, 0.003, 0.001, 0.0003];

    public static DualBoundResult Compute(Problem problem, int[] caps, Func<bool> mayContinue)
    {
        var unit = Math.Max(1.0, problem.Volume.Select(v => (double)v).DefaultIfEmpty(1).Average());
        var perDriver = PackagePairs(problem, caps) <= PerDriverPairLimit;
        IDualFunction dual = perDriver ? new DriverPriceDual(problem, caps, unit) : new GroupRoomPriceDual(problem, caps, unit);

        // On the largest days equal room prices are a good start (as good as a one-price Lagrangian).
        var x = dual is GroupRoomPriceDual groups ? groups.EqualPrices() : new double[dual.Size];
        var temperatures = perDriver ? Temperatures : WarmTemperatures;

        var best = double.PositiveInfinity;
        var bestPoint = perDriver ? new double[dual.Size] : null;
        var evaluations = 0;
        var minimizer = new ProjectedLbfgs(dual.Size);
        foreach (var tau in temperatures)
        {
            minimizer.Minimize(
                (point, gradient) =>
                {
                    var (smoothed, exact) = dual.Evaluate(point, tau, gradient);
                    if (exact < best)
                    {
                        best = exact;
                        if (bestPoint is not null)
                        {
                            Array.Copy(point, bestPoint, bestPoint.Length);
                        }
                    }

                    return smoothed;
                },
                x,
                dual.Pinned,
                StepsPerTemperature,
                () => evaluations < MaxEvaluations && mayContinue() && ++evaluations > 0);
        }

        // The exact value is a sum of about P + 2D terms of size ≤ a few; the margin covers its
        // rounding many times over, so rounding down never cuts below the true dual value.
        var margin = 1e-9 * (problem.PackageCount + dual.Size + Math.Abs(best));
        var bound = double.IsFinite(best) ? (int)Math.Min(int.MaxValue, Math.Floor(best + margin)) : int.MaxValue;
        return new DualBoundResult(bound, best, evaluations, perDriver, bestPoint, unit);
    }

    private static long PackagePairs(Problem problem, int[] caps)
    {
        long pairs = 0;
        for (var c = 0; c < problem.ClassCount; c++)
        {
            var drivers = 0;
            foreach (var d in problem.ClassDrivers[c])
            {
                drivers += caps[d] > 0 ? 1 : 0;
            }

            pairs += (long)drivers * problem.ClassMembers[c].Length;
        }

        return pairs;
    }
}
