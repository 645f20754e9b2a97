using System.Diagnostics;
using Couriers.Core.Diagnostics;

namespace Couriers.Core.Assignment;

/// <summary>
/// One engine run as a span with a child per phase (building the problem, max-flow, construction, search)
/// and the bound, which runs beside the search on a second thread. The phases are written from the
/// engine's own timings once it returns, so the engine itself knows nothing of tracing.
/// </summary>
internal static class EngineSpans
{
    public static AssignmentPlan Plan(AssignmentRequest request)
    {
        using var run = ServiceActivities.Source.StartActivity("engine.plan");
        var plan = AssignmentEngine.Plan(request);
        if (run is null) return plan;

        var stats = plan.Stats;
        run.SetTag("engine.pool_size", request.Pool.Count);
        run.SetTag("engine.assigned", stats.Assigned);
        run.SetTag("engine.volume_binding", stats.VolumeBinding);
        var at = run.StartTimeUtc;
        DateTime? boundFrom = null;
        foreach (var phase in stats.Phases)
        {
            if (phase.Name == "construct") boundFrom = at; // the bound worker starts with the construction
            Child(run, "engine." + phase.Name.Replace(' ', '_'), at, phase.Elapsed);
            at += phase.Elapsed;
        }
        if (stats.VolumeBinding && boundFrom is { } from) Child(run, "engine.bound", from, stats.BoundTime);
        return plan;
    }

    private static void Child(Activity parent, string name, DateTime start, TimeSpan elapsed)
    {
        using var phase = ServiceActivities.Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: start);
        phase?.SetEndTime(start + elapsed);
    }
}
