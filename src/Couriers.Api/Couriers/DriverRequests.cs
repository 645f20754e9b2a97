using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Couriers.Api.Infrastructure.Json;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Couriers;

/// <summary>A rule as rules.py writes it; its code and params are checked by the rules registry.</summary>
internal sealed record RuleRequest(Id RuleId, [property: MaxCharacters(64)] string Code, JsonElement? Params = null)
{
    private static readonly JsonElement NoParams = JsonDocument.Parse("{}").RootElement.Clone();

    public RuleSpec ToSpec() => new(RuleId, Code, Params ?? NoParams);
}

/// <summary>One driver of a day's list: rules always (authoritative), max_capacity (liters) when known.</summary>
internal sealed record DriverRequest(Id Id, List<RuleRequest> Rules, [property: Liters] decimal? MaxCapacity = null) : IValidatableObject
{
    public DriverRecord ToRecord() => new(Id, Rules.Select(r => r.ToSpec()).ToList(), MaxCapacity);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var max = context.Limits().MaxRulesPerDriver;
        if (Rules.Count > max)
        {
            yield return Limited.Error("rules", $"must be an array of at most {max} rules");
            yield break;
        }
        foreach (var (field, message) in RuleRegistry.ParseAll(Rules.Select(r => r.ToSpec()).ToList()).Errors)
            yield return Limited.Error(field, message);
    }
}

/// <summary>POST /drivers: a day's drivers, applied all or nothing.</summary>
internal sealed class DriverBatch : List<DriverRequest>, IExampleBody<DriverBatch>, IValidatableObject
{
    public static DriverBatch Example =>
    [
        new(new Id("driver_1"), [new(new Id("r1"), "MAX_WEIGHT", JsonSerializer.SerializeToElement(new { limit_kg = 10 }))], 500m),
        new(new Id("driver_2"), []),
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        Limited.Batch(this, context.Limits().MaxDriversPerBatch, d => d.Id, "id");
}
