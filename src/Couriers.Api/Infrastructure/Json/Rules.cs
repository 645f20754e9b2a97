using System.ComponentModel.DataAnnotations;
using Couriers.Core.Couriers;

namespace Couriers.Api.Infrastructure.Json;

// Checks of one field's value, run by the request reader after the value has its type. The message is
// the whole answer for that field ("must be greater than 0"); the reader keys it by the field's JSON path.

// A quantity in liters: not negative (above 0 unless zero is allowed), at most 1,000,000, milliliter precision.
[AttributeUsage(AttributeTargets.Property)]
internal sealed class LitersAttribute : ValidationAttribute
{
    public bool AllowZero { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is decimal liters && Liters.Problem(liters, AllowZero) is { } problem ? new ValidationResult(problem) : ValidationResult.Success;
}

// A number within fixed bounds (a package attribute); ExclusiveMinimum for "greater than".
[AttributeUsage(AttributeTargets.Property)]
internal sealed class BetweenAttribute(double minimum, double maximum) : ValidationAttribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;

    public bool ExclusiveMinimum { get; init; }

    // The most decimal places the value may have (-1: any).
    public int MaxDecimals { get; init; } = -1;

    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        decimal? number = value switch { decimal d => d, int i => i, _ => null };
        if (number is not { } v) return ValidationResult.Success;
        decimal min = (decimal)Minimum, max = (decimal)Maximum;
        if (v < min || (ExclusiveMinimum && v == min) || v > max)
            return new ValidationResult(value is int
                ? $"must be a whole number from {min} to {max}"
                : $"must be {(ExclusiveMinimum ? "greater than" : "at least")} {min} and at most {max}");
        if (MaxDecimals >= 0 && decimal.Round(v, MaxDecimals) != v) return new ValidationResult($"must have at most {MaxDecimals} decimal places");
        return ValidationResult.Success;
    }
}

// A string of at most so many characters.
[AttributeUsage(AttributeTargets.Property)]
internal sealed class MaxCharactersAttribute(int length) : ValidationAttribute
{
    public int Length { get; } = length;

    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is string text && text.Length > Length ? new ValidationResult($"must be at most {Length} characters") : ValidationResult.Success;
}

// One of a fixed set of words (a region, a status); the OpenAPI document lists them as its enum.
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OneOfAttribute(params string[] values) : ValidationAttribute
{
    public string[] Values { get; } = values;

    // Accept any letter case (the document still lists the canonical spelling).
    public bool IgnoreCase { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is string text && !Values.Contains(text, IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            ? new ValidationResult($"must be one of {string.Join(", ", Values)}")
            : ValidationResult.Success;
}

// A bound from configuration (LimitsOptions, named by property): a whole number from
// Min to the limit, or a list of that many items. The OpenAPI document shows the configured value.
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
internal sealed class ConfiguredAttribute(string limit) : ValidationAttribute
{
    public string Limit { get; } = limit;

    public int Min { get; init; } = 1;

    public int Max(IServiceProvider services) =>
        (int)typeof(LimitsOptions).GetProperty(Limit)!.GetValue(services.GetRequiredService<LimitsOptions>())!;

    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        var max = Max(context);
        return value switch
        {
            int n when n < Min || n > max => new ValidationResult($"must be a whole number from {Min} to {max}"),
            System.Collections.ICollection items when items.Count < Min || items.Count > max =>
                new ValidationResult(Min == 0 ? $"must hold at most {max} items" : $"must hold {Min} to {max} items"),
            _ => ValidationResult.Success,
        };
    }
}
