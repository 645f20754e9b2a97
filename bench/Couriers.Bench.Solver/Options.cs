using System.Globalization;

namespace Couriers.Bench.Solver;

internal sealed record Options(int[] Seeds, double CpSatSeconds, int[] Sizes, int[] Steps, int Workers, string? Write, bool Lp, bool CpSatFromScratch)
{
    // The step cap for a size: one value for all, or one per size in DaySize.All order.
    public int StepsFor(int size) => Steps.Length == 1 ? Steps[0] : Steps[size];

    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i]] = args[i + 1];
        }

        int[] Ints(string key, string fallback) => map.GetValueOrDefault(key, fallback).Split(',').Select(int.Parse).ToArray();
        return new Options(
            Ints("--seeds", "1,2,3"),
            double.Parse(map.GetValueOrDefault("--cpsat-seconds", "60"), CultureInfo.InvariantCulture),
            Ints("--sizes", "0,1,2,3"),
            Ints("--steps", "2000000,2000000,300000,300000"),
            int.Parse(map.GetValueOrDefault("--workers", "2"), CultureInfo.InvariantCulture),
            map.GetValueOrDefault("--write"),
            map.GetValueOrDefault("--lp", "yes") != "no",
            map.GetValueOrDefault("--cpsat-scratch", "yes") != "no");
    }
}

internal static class Load
{
    public static string Now() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}

internal static class Markdown
{
    // Replaces the text between <!-- name:start --> and <!-- name:end --> in the file.
    public static void ReplaceSection(string path, string name, string content)
    {
        var text = File.ReadAllText(path);
        var start = $"<!-- {name}:start -->";
        var end = $"<!-- {name}:end -->";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"{path} has no {start} … {end} section");
        }

        File.WriteAllText(path, text[..(from + start.Length)] + "\n" + content.TrimEnd() + "\n" + text[to..]);
    }
}
