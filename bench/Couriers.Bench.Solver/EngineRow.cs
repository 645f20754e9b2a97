using System.Diagnostics;
using Couriers.Core.Assignment;

namespace Couriers.Bench.Solver;

// One engine run after a cold one (JIT), with its wall and process CPU time and the load at the time.
internal sealed record EngineRow(AssignmentPlan Plan, double Ms, double CpuMs, string LoadAverage)
{
    public AssignmentPlan? Service { get; init; }

    public double ServiceMs { get; init; }

    public static EngineRow Measure(AssignmentRequest request)
    {
        var cold = AssignmentEngine.Plan(request);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var plan = AssignmentEngine.Plan(request);
        watch.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        if (plan.Stats.Assigned != cold.Stats.Assigned && request.Options?.MaxImprovementSteps is not null)
        {
            Console.WriteLine($"  note: gave {cold.Stats.Assigned} then {plan.Stats.Assigned} with a step cap");
        }

        return new EngineRow(plan, watch.Elapsed.TotalMilliseconds, cpu, Load.Now());
    }
}
