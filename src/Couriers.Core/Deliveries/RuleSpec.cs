using System.Text.Json;

namespace Couriers.Core.Deliveries;

/// <summary>A rule as it arrives: <c>{"rule_id", "code", "params"}</c>.</summary>
public sealed record RuleSpec(string RuleId, string Code, JsonElement Params)
{
    public static RuleSpec Create(string ruleId, string code, object? parameters = null) =>
        new(ruleId, code, JsonSerializer.SerializeToElement(parameters ?? new Dictionary<string, object>()));
}
