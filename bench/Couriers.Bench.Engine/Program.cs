using BenchmarkDotNet.Running;
using Couriers.Bench.Engine;

// --quick [runs] [seed] [budget-ms]: Stopwatch runs, results in well under a minute.
// --diagnose [budget-ms]: where the binding-volume gap comes from (seed 1).
// Anything else goes to BenchmarkDotNet, e.g. --filter '*' or --filter '*' --job short.
if (args.Length > 0 && args[0] == "--quick")
{
    var runs = args.Length > 1 ? int.Parse(args[1]) : 3;
    var seed = args.Length > 2 ? int.Parse(args[2]) : 1;
    var budget = TimeSpan.FromMilliseconds(args.Length > 3 ? int.Parse(args[3]) : 1_000);
    QuickRun.Run(runs, seed, budget);
    return;
}

if (args.Length > 0 && args[0] == "--diagnose")
{
    Diagnose.Run(1, TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1]) : 1_000));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
