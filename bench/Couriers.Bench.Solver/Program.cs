using System.Diagnostics;
using System.Globalization;
using Couriers.Bench.Solver;
using Couriers.Core.Assignment;

// The engine against CP-SAT on generated days where room binds. Usage:
//   dotnet run -c Release --project bench/Couriers.Bench.Solver -- [--seeds 1,2,3] [--cpsat-seconds 60]
//     [--sizes 0,1,2,3] [--steps 2000000,2000000,300000,300000] [--workers 2] [--write docs/engine.md]
// --steps caps the engine's improvement search (MaxImprovementSteps; one value, or one per size) and
// the wall-clock budget is lifted to a minute, so the engine's counts depend on the input alone, not
// on the machine's load; the ms columns (wall and CPU) show whether that work fits the service's 1 s
// budget on this machine.
var options = Options.Parse(args);
var culture = CultureInfo.InvariantCulture;
var days = options.Sizes.SelectMany(s => options.Seeds.Select(seed => (Size: DaySize.All[s], Seed: seed, Steps: options.StepsFor(s)))).ToList();
var started = Stopwatch.StartNew();

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Load.Now()}");
var engineRows = new List<(AssignmentPlan Plan, double Ms, double CpuMs, string Load)>();
foreach (var (size, seed, steps) in days)
{
    var request = size.Request(seed, new AssignmentOptions { MaxImprovementSteps = steps, ImprovementBudget = TimeSpan.FromMinutes(1) });
    var cold = AssignmentEngine.Plan(request);
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var plan = AssignmentEngine.Plan(request);
    watch.Stop();
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
    if (plan.Stats.Assigned != cold.Stats.Assigned)
    {
        Console.WriteLine($"  note: {size.Name} seed {seed} gave {cold.Stats.Assigned} then {plan.Stats.Assigned} (the time budget stopped it)");
    }

    engineRows.Add((plan, watch.Elapsed.TotalMilliseconds, cpu, Load.Now()));
    Console.WriteLine(string.Create(culture, $"engine {size.Name} seed {seed}: {plan.Stats.Assigned} / {plan.Stats.UpperBound} ({plan.Stats.BoundMethod}), {watch.Elapsed.TotalMilliseconds:F0} ms ({cpu:F0} ms CPU), {plan.Stats.ImprovementSteps} steps, {plan.Stats.SearchStop}"));
}

var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0;
Console.WriteLine(string.Create(culture, $"peak working set after the engine runs (before CP-SAT): {peakMb:F0} MB"));

var rows = new List<string>();
for (var i = 0; i < days.Count; i++)
{
    var (size, seed, _) = days[i];
    var (plan, ms, cpuMs, engineLoad) = engineRows[i];
    var request = size.Request(seed, new AssignmentOptions());
    var scratch = CpSatRun.Solve(request, options.CpSatSeconds, options.Workers, null);
    var fromPlan = CpSatRun.Solve(request, options.CpSatSeconds, options.Workers, plan);
    // The linear relaxation is a yardstick for the bound; GLOP takes about a minute at 200 × 5,000
    // and is not run on the largest days.
    var lp = size.Drivers <= 200 ? LpCheck.Solve(request).ToString("N2", culture) : "—";
    var best = Math.Max(scratch.Best, fromPlan.Best);
    var versus = scratch.Status is "Optimal" or "Feasible" || fromPlan.Status is "Optimal" or "Feasible"
        ? (plan.Stats.Assigned - best).ToString("+#;-#;0", culture)
        : "n/a";
    var s = plan.Stats;
    var row = string.Create(culture,
        $"| {size.Name} | {seed} | {s.Assigned:N0} | {s.UpperBound:N0} ({Name(s.BoundMethod)}) | {s.GapPercent:F2} | {ms:F0} ({cpuMs:F0}) | {s.ImprovementSteps:N0}, {Name(s.SearchStop)} | {Cp(scratch)} | {Cp(fromPlan)} | {versus} | {lp} | {engineLoad} / {Load.Now()} |");
    rows.Add(row);
    Console.WriteLine(row);
}

var minutes = started.Elapsed.TotalMinutes;
var table = string.Join('\n', new[]
{
    "| day | seed | engine assigned | engine bound (method) | gap % | engine ms (CPU ms) | steps, stop | CP-SAT from scratch: best / bound | CP-SAT from the engine's plan: best / bound | engine − best CP-SAT | LP relaxation | load (engine / CP-SAT) |",
    "|---|---:|---:|---|---:|---:|---|---|---|---:|---:|---|",
}.Concat(rows));
var command = $"dotnet run -c Release --project bench/Couriers.Bench.Solver -- {string.Join(' ', args)}";
var section = string.Create(culture, $"""
    Command: `{command}` ({minutes:F0} min on {Environment.ProcessorCount} cores; CP-SAT {options.CpSatSeconds} s per run, {options.Workers} workers, one boolean per compatible pair). Engine peak working set {peakMb:F0} MB. Load is the 1-minute load average when each was measured.

    {table}
    """);
Console.WriteLine();
Console.WriteLine(section);
if (options.Write is { } path)
{
    Markdown.ReplaceSection(path, "comparison", section);
    Console.WriteLine($"written to {path}");
}

static string Cp(CpSatResult r) => r.Status switch
{
    "Optimal" => $"{r.Best:N0} (optimal)",
    "Feasible" => $"{r.Best:N0} / {r.Bound:N0}",
    _ => $"none ({r.Status}, model built in {r.BuildSeconds:F0} s)",
};

static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
