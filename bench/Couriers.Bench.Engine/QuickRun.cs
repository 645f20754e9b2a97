using System.Diagnostics;
using System.Globalization;
using Couriers.Core.Assignment;

namespace Couriers.Bench.Engine;

/// <summary>Runs each case a few times with a Stopwatch: results in well under a minute, no BenchmarkDotNet.</summary>
public static class QuickRun
{
    public static void Run(int runs, int seed, TimeSpan budget)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine($"load average at the start: {LoadAverage()}");
        Console.WriteLine($"runs per case: {runs} after a cold run 0, seed {seed}, improvement budget {budget.TotalMilliseconds} ms");
        Console.WriteLine("case | run | time ms | assigned | upper bound (method) | gap % | flow bound | classes | groups | steps, stop | phases ms | bound thread ms | allocated MB");
        var withoutVolume = EngineCases.WithoutVolumeLimits(seed);
        var withVolume = EngineCases.WithBindingVolume(seed, budget);

        // Run 0 of each case is the cold call (JIT still tiering up); a long-running service sees it once.
        Measure("no volume limits", withoutVolume, 0, 0);
        Measure("binding volume", withVolume, 0, 0);
        Measure("no volume limits", withoutVolume, 1, runs);
        Measure("binding volume", withVolume, 1, runs);
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0:F0} MB");
    }

    // Other builds may share the machine; the load average tells a reader how quiet it was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Measure(string name, AssignmentRequest request, int first, int last)
    {
        for (var run = first; run <= last; run++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var plan = AssignmentEngine.Plan(request);
            watch.Stop();
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1_048_576.0;
            var s = plan.Stats;
            var phases = string.Join(", ", s.Phases.Select(p => $"{p.Name} {p.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name} | {run} | {watch.Elapsed.TotalMilliseconds:F0} | {s.Assigned} | {s.UpperBound} ({s.BoundMethod}) | {s.GapPercent:F2} | {s.FlowBoundIgnoringVolume} | {s.PackageClasses} | {s.DriverGroups} | {s.ImprovementSteps}, {s.SearchStop} | {phases} | {s.BoundTime.TotalMilliseconds:F0} | {allocated:F0}"));
        }
    }
}
