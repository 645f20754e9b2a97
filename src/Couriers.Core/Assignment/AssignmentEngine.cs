namespace Couriers.Core.Assignment;

/// <summary>
/// Assigns as many pool packages as the drivers' rules, slots and room allow.
/// Without binding room the plan is a maximum b-matching (max flow over package classes), so
/// Assigned equals the upper bound. When room binds (a multiple-knapsack problem) volume-aware
/// constructions (one guided by the linear relaxation's prices) and an improvement search (local
/// moves, ejection chains, inserts that move several packages out of a driver, exact re-packing and
/// ruin and recreate of a few drivers) run within the budget, and the stats report the bound, how it
/// was obtained, the gap and why the search stopped. The result is deterministic; only when the time
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

        var outcome = new RoomOutcome(allocation, flowBound, BoundMethod.MaxFlow, SearchStop.NotNeeded, 0, 0, TimeSpan.Zero);
        var volumeBinding = allocation.AnyOverfull();
        if (volumeBinding)
        {
            outcome = SolveWithRoom(problem, flowBound, budget, phases, options.Time);
            allocation = outcome.Plan;
        }

        var explanations = options.Explain ? Explainer.Explain(problem, allocation) : [];
        if (options.Explain)
        {
            phases.End("explain");
        }

        var stats = new AssignmentStats(
            allocation.Assigned,
            outcome.Bound,
            flowBound,
            volumeBinding,
            problem.ClassCount,
            problem.GroupCount,
            outcome.Steps,
            outcome.Stop == SearchStop.TimeBudget,
            phases.Total,
            phases.Timings)
        {
            BoundMethod = outcome.Method,
            SearchStop = outcome.Stop,
            BoundTime = outcome.BoundTime,
            StepsToBest = outcome.StepsToBest,
        };
        return new AssignmentPlan(Assignments(problem, allocation), Unassigned(problem, allocation), stats, explanations);
    }

    private static RoomOutcome SolveWithRoom(Problem problem, int flowBound, ImprovementBudget budget, PhaseClock phases, TimeProvider time)
    {
        var caps = CapacityCaps.PerDriver(problem);
        // The linear-relaxation bound runs on a second thread while this one builds and improves the plan.
        var worker = BoundWorker.Start(problem, caps, budget, time);
        var bySize = Placement.BySize(problem);

        // Candidate 1: the count-optimal flow under per-driver caps, repaired where room overflows.
        var capped = new ClassFlow(problem, caps);
        var cappedBound = capped.Run();
        var fromFlow = Handout.Concrete(problem, capped.DriverClassCounts());
        Placement.Repair(problem, fromFlow);
        Placement.Refill(problem, fromFlow, bySize);

        // Candidate 2: smallest packages first into the driver whose room per slot suits them.
        var greedy = Placement.Greedy(problem, bySize);
        var best = Better(greedy, fromFlow);
        phases.End("construct");

        // On ties the simpler bound is named.
        var (bound, method) = cappedBound < flowBound ? (cappedBound, BoundMethod.MaxFlowUnderRoomCaps) : (flowBound, BoundMethod.MaxFlow);

        // Candidate 3, where a search is needed, is built from the linear relaxation's prices, so the search
        // waits for the bound thread (17-181 ms of the 1 s budget on the days measured).
        if (best.Assigned < bound && worker.Finish() is { Prices: { } prices } priced)
        {
            best = Better(PriceGuided.Build(problem, prices, priced.Unit, bySize), best);
            phases.End("price-guided construct");
        }

        var stop = SearchStop.ReachedBound;
        var steps = 0;
        var stepsToBest = 0;
        DualBoundResult dual;
        if (best.Assigned < bound)
        {
            var search = new ImprovementSearch(problem, best, budget, bySize, bound, () => worker.Known);
            stop = search.Run();
            dual = worker.Finish();
            if (stop != SearchStop.ReachedBound && search.Most >= dual.Bound)
            {
                // The bound arrived after the search ended: the first plan with that count is the answer,
                // as it would have been had the bound come sooner.
                search.RestoreFirstAtMost();
                stop = SearchStop.ReachedBound;
            }

            steps = stop == SearchStop.ReachedBound ? search.StepsAtMost : budget.Steps;

            // A search cut short by its budget may leave a package that still fits somewhere.
            if (stop is SearchStop.TimeBudget or SearchStop.StepCap)
            {
                Placement.Refill(problem, best, bySize);
            }

            stepsToBest = best.Assigned > search.Seen ? budget.Steps : search.StepsAtSeen;

            phases.End("improve");
        }
        else
        {
            dual = worker.Cancel();
        }

        if (dual.Bound < bound)
        {
            (bound, method) = (dual.Bound, BoundMethod.LinearRelaxation);
        }

        return new RoomOutcome(best, bound, method, stop, steps, stepsToBest, worker.Elapsed);
    }

    // More packages wins; on a tie, less volume, since free room is what later moves can use; then the second.
    private static Allocation Better(Allocation first, Allocation second) =>
        (first.Assigned, -first.AssignedVolume).CompareTo((second.Assigned, -second.AssignedVolume)) > 0 ? first : second;

    private sealed record RoomOutcome(Allocation Plan, int Bound, BoundMethod Method, SearchStop Stop, int Steps, int StepsToBest, TimeSpan BoundTime);

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
