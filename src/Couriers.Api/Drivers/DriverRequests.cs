using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Drivers;

/// <summary>A rule as rules.py writes it; its code and params are checked by the rules registry.</summary>
internal sealed record RuleRequest(Id RuleId, [property: MaxCharacters(64)] string Code, JsonElement? Params = null)
{
    private static readonly JsonElement NoParams = JsonDocument.Parse("{}").RootElement.Clone();

    public RuleSpec ToSpec() => new(RuleId, Code, Params ?? NoParams);
}

/// <summary>One driver of a day's list: rules always (authoritative), max_capacity (liters) when known.</summary>
internal sealed record DriverRequest(
    Id Id,
    [property: Configured(nameof(LimitsOptions.MaxRulesPerDriver), Min = 0)] List<RuleRequest> Rules,
    [property: Liters] decimal? MaxCapacity = null) : IValidatableObject
{
    public DriverRecord ToRecord() => new(Id, Rules.Select(r => r.ToSpec()).ToList(), MaxCapacity);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        foreach (var (field, message) in RuleRegistry.ParseAll(Rules.Select(r => r.ToSpec()).ToList()).Errors)
            yield return Limited.Error(field, message);
    }
}

/// <summary>POST /drivers: a day's drivers, applied all or nothing.</summary>
[Configured(nameof(LimitsOptions.MaxDriversPerBatch))]
internal sealed class DriverBatch : List<DriverRequest>, IExampleBody<DriverBatch>, IValidatableObject
{
    public static DriverBatch Example =>
    [
        new(new Id("driver_1"), [new(new Id("r1"), "MAX_WEIGHT", JsonSerializer.SerializeToElement(new { limit_kg = 10 }))], 500m),
        new(new Id("driver_2"), [new(new Id("r1"), "FRAGILE_ONLY")]),
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        Limited.Batch(context, this, d => d.Id, "id");
}
