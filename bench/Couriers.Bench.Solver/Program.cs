using System.Diagnostics;
using Couriers.Bench.Solver;
using Couriers.Core.Assignment;

var sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [0];
var seconds = args.Length > 1 ? double.Parse(args[1]) : 10;
var seeds = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [1];
int? steps = args.Length > 3 ? int.Parse(args[3]) : null;
foreach (var si in sizes)
foreach (var seed in seeds)
{
    var size = DaySize.All[si];
    var r = size.Request(seed, new AssignmentOptions { MaxImprovementSteps = steps, ImprovementBudget = TimeSpan.FromSeconds(steps is null ? 1 : 100) });
    AssignmentEngine.Plan(r);
    var w = Stopwatch.StartNew();
    var plan = AssignmentEngine.Plan(r);
    w.Stop();
    Console.WriteLine($"{size.Name} seed {seed}: engine {plan.Stats.Assigned}/{plan.Stats.UpperBound} {w.Elapsed.TotalMilliseconds:F0} ms steps {plan.Stats.ImprovementSteps} {string.Join(", ", plan.Stats.Phases.Select(p => $"{p.Name} {p.Elapsed.TotalMilliseconds:F0}"))} | load {File.ReadAllText("/proc/loadavg")[..14]}");
    if (seconds <= 0) continue;
    var a = CpSatRun.Solve(r, seconds, 2, null);
    Console.WriteLine($"  scratch {a}");
    var b = CpSatRun.Solve(r, seconds, 2, plan);
    Console.WriteLine($"  hinted  {b}");
}
