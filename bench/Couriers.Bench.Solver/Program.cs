using System.Diagnostics;
using System.Globalization;
using Couriers.Bench.Solver;
using Couriers.Core.Assignment;

// The engine against CP-SAT on generated days where room binds. Usage:
//   dotnet run -c Release --project bench/Couriers.Bench.Solver -- [--seeds 1,2,3] [--cpsat-seconds 60]
//     [--sizes 0,1,2,3] [--steps 2000000,2000000,300000,300000] [--workers 2] [--lp no] [--write docs/engine.md]
//     [--cpsat-scratch no]
// Each day runs the engine twice: with --steps as MaxImprovementSteps and the wall-clock budget lifted
// to a minute, so its counts and bound depend on the input alone; and as the service runs it (1 s
// budget, no step cap), whose count depends on the machine. --cpsat-seconds 0 skips CP-SAT; --cpsat-scratch no
// runs it only from the engine's plan (from scratch it is far behind at 200 × 5,000 and above).
var options = Options.Parse(args);
var culture = CultureInfo.InvariantCulture;
var days = options.Sizes.SelectMany(s => options.Seeds.Select(seed => (Size: DaySize.All[s], Seed: seed, Steps: options.StepsFor(s)))).ToList();
var started = Stopwatch.StartNew();

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Load.Now()}");
var engineRows = new List<EngineRow>();
foreach (var (size, seed, steps) in days)
{
    var capped = EngineRow.Measure(size.Request(seed, new AssignmentOptions { MaxImprovementSteps = steps, ImprovementBudget = TimeSpan.FromMinutes(1) }));
    var service = EngineRow.Measure(size.Request(seed, new AssignmentOptions()));
    engineRows.Add(capped with { Service = service.Plan, ServiceMs = service.Ms });
    var s = capped.Plan.Stats;
    Console.WriteLine(string.Create(culture, $"engine {size.Name} seed {seed}: {s.Assigned} / {s.UpperBound} ({s.BoundMethod}), {capped.Ms:F0} ms ({capped.CpuMs:F0} ms CPU, bound thread {s.BoundTime.TotalMilliseconds:F0} ms), {s.ImprovementSteps} steps (best first at {s.StepsToBest}), {s.SearchStop}; 1 s budget: {service.Plan.Stats.Assigned} / {service.Plan.Stats.UpperBound} in {service.Ms:F0} ms, {service.Plan.Stats.ImprovementSteps} steps"));
}

var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0;
Console.WriteLine(string.Create(culture, $"peak working set after the engine runs (before CP-SAT): {peakMb:F0} MB"));

var rows = new List<string>();
for (var i = 0; i < days.Count; i++)
{
    var (size, seed, _) = days[i];
    var row = engineRows[i];
    var request = size.Request(seed, new AssignmentOptions());
    var cpsat = options.CpSatSeconds > 0;
    var scratch = cpsat && options.CpSatFromScratch ? CpSatRun.Solve(request, options.CpSatSeconds, options.Workers, null) : null;
    var fromPlan = cpsat ? CpSatRun.Solve(request, options.CpSatSeconds, options.Workers, row.Plan) : null;
    // The linear relaxation is a yardstick for the bound; GLOP takes about a minute at 200 × 5,000
    // and is not run on the largest days, nor with --lp no.
    var lp = options.Lp && size.Drivers <= 200 ? LpCheck.Solve(request).ToString("N2", culture) : "—";
    var s = row.Plan.Stats;
    var service = row.Service!.Stats;
    var line = string.Create(culture,
        $"| {size.Name} | {seed} | {s.Assigned:N0} | {s.UpperBound:N0} ({Name(s.BoundMethod)}) | {s.GapPercent:F2} | {row.Ms:F0} ({row.CpuMs:F0}), bound {s.BoundTime.TotalMilliseconds:F0} | {s.ImprovementSteps:N0} (best at {s.StepsToBest:N0}), {Name(s.SearchStop)} | {service.Assigned:N0} / {service.UpperBound:N0}, {row.ServiceMs:F0} ms | {Cp(scratch)} | {Cp(fromPlan)} | {Versus(s.Assigned, service.Assigned, scratch, fromPlan)} | {BoundVersus(s.UpperBound, scratch, fromPlan)} | {lp} | {row.LoadAverage} / {Load.Now()} |");
    rows.Add(line);
    Console.WriteLine(line);
}

var minutes = started.Elapsed.TotalMinutes;
var table = string.Join('\n', new[]
{
    "| day | seed | engine assigned | engine bound (method) | gap % | engine ms (CPU ms), bound thread ms | steps (first at the final count), stop | engine in the 1 s budget: assigned / bound, wall | CP-SAT from scratch: best / bound | CP-SAT from the engine's plan: best / bound | engine − best CP-SAT (step cap / 1 s) | our bound against CP-SAT's | LP relaxation | load (engine / CP-SAT) |",
    "|---|---:|---:|---|---:|---:|---|---|---|---|---:|---|---:|---|",
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

static string Cp(CpSatResult? r) => r?.Status switch
{
    null => "not run",
    "Optimal" => $"{r.Best:N0} (optimal)",
    "Feasible" => $"{r.Best:N0} / {r.Bound:N0}",
    _ => $"none ({r.Status}, model built in {r.BuildSeconds:F0} s)",
};

static bool Found(CpSatResult? r) => r?.Status is "Optimal" or "Feasible";

static string Versus(int capped, int service, CpSatResult? scratch, CpSatResult? fromPlan)
{
    if (!Found(scratch) && !Found(fromPlan))
    {
        return "n/a";
    }

    var best = Math.Max(Found(scratch) ? scratch!.Best : 0, Found(fromPlan) ? fromPlan!.Best : 0);
    return string.Create(CultureInfo.InvariantCulture, $"{capped - best:+#;-#;0} / {service - best:+#;-#;0}");
}

// Against a proven optimum: how far above it; otherwise against CP-SAT's best (lowest) bound.
static string BoundVersus(int bound, CpSatResult? scratch, CpSatResult? fromPlan)
{
    var found = new[] { scratch, fromPlan }.Where(Found).Select(r => r!).ToList();
    if (found.Count == 0)
    {
        return "n/a";
    }

    var optimal = found.FirstOrDefault(r => r.Status == "Optimal");
    return optimal is not null
        ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * (bound - optimal.Best) / optimal.Best:+0.00;-0.00;0.00}% of the optimum")
        : string.Create(CultureInfo.InvariantCulture, $"{100.0 * (bound - found.Min(r => r.Bound)) / found.Min(r => r.Bound):+0.00;-0.00;0.00}% of its bound");
}

static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
