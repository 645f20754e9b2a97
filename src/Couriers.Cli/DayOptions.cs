using System.CommandLine;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Cli;

/// <summary>The generation options shared by <c>generate</c> and <c>load</c>; defaults are the reference day.</summary>
internal sealed class DayOptions
{
    private const int RuleTemplates = 10; // the codes rules.py draws from; a driver cannot have more distinct ones

    private static readonly DayGeneratorOptions Script = DayGeneratorOptions.ReferenceDay(seed: 0);

    public Option<int?> Seed { get; } =
        OptionParsers.OptionalWholeNumber("--seed", "Seed of the generator: the same seed gives the same day.");

    public Option<int> Drivers { get; } =
        OptionParsers.WholeNumber("--drivers", "Number of drivers (driver_1, driver_2, …).", Script.DriverCount, min: 0);

    public Option<int> Packages { get; } = OptionParsers.WholeNumber("--packages", "Number of packages.", Script.PackageCount, min: 0);

    public Option<int> MinRules { get; } =
        OptionParsers.WholeNumber("--min-rules", "Fewest rules a driver gets.", Script.MinRules, min: 0, max: RuleTemplates);

    public Option<int> MaxRules { get; } = OptionParsers.WholeNumber("--max-rules",
        $"Most rules a driver gets (at most {RuleTemplates}, the number of rule codes).", Script.MaxRules, min: 0, max: RuleTemplates);

    // The generator rounds capacities to whole liters, so the smallest usable one is 1 L.
    public Option<decimal?> MaxCapacityMin { get; } = OptionParsers.OptionalLiters("--max-capacity-min",
        "Give each driver a max_capacity of at least this many liters (with --max-capacity-max); without both, drivers have no volume limit.",
        1, Liters.Max);

    public Option<decimal?> MaxCapacityMax { get; } = OptionParsers.OptionalLiters("--max-capacity-max",
        "Give each driver a max_capacity of at most this many liters (with --max-capacity-min).", 1, Liters.Max);

    public IEnumerable<Option> All => [Seed, Drivers, Packages, MinRules, MaxRules, MaxCapacityMin, MaxCapacityMax];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public DayGeneratorOptions ToGeneratorOptions(ParseResult parsed)
    {
        var (min, max) = (parsed.GetValue(MaxCapacityMin), parsed.GetValue(MaxCapacityMax));
        return new DayGeneratorOptions
        {
            Seed = parsed.GetValue(Seed) ?? 0,
            DriverCount = parsed.GetValue(Drivers),
            PackageCount = parsed.GetValue(Packages),
            MinRules = parsed.GetValue(MinRules),
            MaxRules = parsed.GetValue(MaxRules),
            MaxCapacityLiters = min is { } low && max is { } high ? (low, high) : null,
        };
    }

    /// <summary>True when the user typed the option, as opposed to it taking its default.</summary>
    public static bool IsGiven(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>
    /// What is wrong between options; each option's own range is checked as it is parsed (<see cref="OptionParsers"/>).
    /// Checked once parsing succeeded: a validator reading a value that failed to parse would throw instead.
    /// </summary>
    public IEnumerable<string> Problems(ParseResult parsed)
    {
        var (minRules, maxRules) = (parsed.GetValue(MinRules), parsed.GetValue(MaxRules));
        if (minRules > maxRules) yield return $"--min-rules ({minRules}) must not be greater than --max-rules ({maxRules}).";

        var (min, max) = (parsed.GetValue(MaxCapacityMin), parsed.GetValue(MaxCapacityMax));
        if (min is null != max is null) yield return "--max-capacity-min and --max-capacity-max go together: give both or neither.";
        else if (min > max) yield return $"--max-capacity-min ({min}) must not be greater than --max-capacity-max ({max}).";
    }
}
