namespace Couriers.Core.Assignment;

/// <summary>
/// Assigns as many pool packages as the drivers' rules, slots and room allow.
/// Without binding room the plan is a maximum b-matching (max flow over package classes), so
/// Assigned equals the upper bound. When room binds (a multiple-knapsack problem) a volume-aware
/// construction and an improvement search (local moves, ejection chains, exact re-packing and ruin
/// and recreate of a few drivers) run within the budget, and the stats report the bound, how it was
/// obtained, the gap and why the search stopped. The result is deterministic; only when the time
/// budget is hit can it depend on machine speed, which <see cref="AssignmentOptions.MaxImprovementSteps"/> avoids.
/// </summary>
public static class AssignmentEngine
{
    public static AssignmentPlan Plan(AssignmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options ?? AssignmentOptions.Default;
        var phases = new PhaseClock(options.Time);
        // The budget covers the whole call, so a day where room binds answers within it.
        var budget = new ImprovementBudget(options);

        var problem = ProblemBuilder.Build(request, phases);

        var flow = new ClassFlow(problem, problem.Slots);
        var flowBound = flow.Run();
        var allocation = Handout.Concrete(problem, flow.DriverClassCounts());
        phases.End("max-flow");

        var upperBound = flowBound;
        var boundMethod = BoundMethod.MaxFlow;
        var stop = SearchStop.NotNeeded;
        var volumeBinding = allocation.AnyOverfull();
        if (volumeBinding)
        {
            (allocation, upperBound, boundMethod, stop) = SolveWithRoom(problem, flowBound, budget, phases);
        }

        var explanations = options.Explain ? Explainer.Explain(problem, allocation) : [];
        if (options.Explain)
        {
            phases.End("explain");
        }

        var stats = new AssignmentStats(
            allocation.Assigned,
            upperBound,
            flowBound,
            volumeBinding,
            problem.ClassCount,
            problem.GroupCount,
            budget.Steps,
            stop == SearchStop.TimeBudget,
            phases.Total,
            phases.Timings)
        {
            BoundMethod = boundMethod,
            SearchStop = stop,
        };
        return new AssignmentPlan(Assignments(problem, allocation), Unassigned(problem, allocation), stats, explanations);
    }

    private static (Allocation, int, BoundMethod, SearchStop) SolveWithRoom(
        Problem problem, int flowBound, ImprovementBudget budget, PhaseClock phases)
    {
        var caps = CapacityCaps.PerDriver(problem);
        var bySize = Placement.BySize(problem);

        // Candidate 1: the count-optimal flow under per-driver caps, repaired where room overflows.
        var capped = new ClassFlow(problem, caps);
        var cappedBound = capped.Run();
        var fromFlow = Handout.Concrete(problem, capped.DriverClassCounts());
        Placement.Repair(problem, fromFlow);
        Placement.Refill(problem, fromFlow, bySize);

        // Candidate 2: smallest packages first into the driver whose room per slot suits them.
        var greedy = Placement.Greedy(problem, bySize);
        // More packages wins; on a tie, less volume, since free room is what later moves can use.
        var greedyWins = (greedy.Assigned, -greedy.AssignedVolume).CompareTo((fromFlow.Assigned, -fromFlow.AssignedVolume)) > 0;
        var best = greedyWins ? greedy : fromFlow;
        phases.End("construct");

        // The least of the three bounds is reported; on ties the simpler one is named.
        var lagrangian = VolumeBound.Compute(problem, caps);
        var (bound, method) = (flowBound, BoundMethod.MaxFlow);
        if (cappedBound < bound)
        {
            (bound, method) = (cappedBound, BoundMethod.MaxFlowUnderRoomCaps);
        }

        if (lagrangian < bound)
        {
            (bound, method) = (lagrangian, BoundMethod.LagrangianRoomPrice);
        }

        phases.End("bound");

        var stop = SearchStop.ReachedBound;
        if (best.Assigned < bound)
        {
            stop = new ImprovementSearch(problem, best, budget, bySize, bound).Run();

            // A search cut short by its budget may leave a package that still fits somewhere.
            if (budget.Exhausted)
            {
                Placement.Refill(problem, best, bySize);
            }

            phases.End("improve");
        }

        return (best, bound, method, stop);
    }

    private static List<DriverAssignment> Assignments(Problem problem, Allocation allocation) =>
        Enumerable.Range(0, problem.DriverCount)
            .Select(d => new DriverAssignment(
                problem.Drivers[d].DriverId,
                allocation.Held[d].Order().Select(p => problem.Packages[p].PackageId).ToList()))
            .ToList();

    private static List<string> Unassigned(Problem problem, Allocation allocation) =>
        Enumerable.Range(0, problem.PackageCount)
            .Where(p => allocation.Owner[p] < 0)
            .Select(p => problem.Packages[p].PackageId)
            .ToList();
}
