using Couriers.Bench.Solver;
using Couriers.Core.Assignment;

var sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [0];
var seconds = args.Length > 1 ? double.Parse(args[1]) : 10;
var seeds = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [1];
foreach (var si in sizes)
foreach (var seed in seeds)
{
    var size = DaySize.All[si];
    var r = size.Request(seed, new AssignmentOptions());
    var plan = AssignmentEngine.Plan(r);
    Console.WriteLine($"{size.Name} seed {seed}: engine {plan.Stats.Assigned}/{plan.Stats.UpperBound} {plan.Stats.Elapsed.TotalMilliseconds:F0} ms steps {plan.Stats.ImprovementSteps}");
    var a = CpSatRun.Solve(r, seconds, 2, null);
    Console.WriteLine($"  scratch {a}");
    var b = CpSatRun.Solve(r, seconds, 2, plan);
    Console.WriteLine($"  hinted  {b}   load {File.ReadAllText("/proc/loadavg")}");
}
