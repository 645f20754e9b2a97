using System.Text.Json;

namespace Couriers.Core.Deliveries;

/// <summary>Turns <see cref="RuleSpec"/>s into rules. A new code is one class plus one line here.</summary>
public static class RuleRegistry
{
    private static readonly SortedDictionary<string, Func<RuleSpec, RuleParams, IRule?>> Parsers = new(StringComparer.Ordinal)
    {
        [MaxWeightRule.CodeName] = MaxWeightRule.Parse,
        [NoPerishableRule.CodeName] = NoPerishableRule.Parse,
        [RegionOnlyRule.CodeName] = RegionOnlyRule.Parse,
        [MaxDistanceRule.CodeName] = MaxDistanceRule.Parse,
        [ExpressOnlyRule.CodeName] = ExpressOnlyRule.Parse,
        [FragileOnlyRule.CodeName] = FragileOnlyRule.Parse,
        [HazmatAllowedRule.CodeName] = HazmatAllowedRule.Parse,
        [TempControlRule.CodeName] = TempControlRule.Parse,
        [TimeWindowRule.CodeName] = TimeWindowRule.Parse,
        [OversizedRule.CodeName] = OversizedRule.Parse,
    };

    public static IReadOnlyCollection<string> KnownCodes => Parsers.Keys;

    public static RuleParseResult Parse(RuleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(spec.RuleId))
        {
            errors["rule_id"] = "is required";
        }

        if (string.IsNullOrEmpty(spec.Code) || !Parsers.TryGetValue(spec.Code, out var parse))
        {
            errors["code"] = $"unknown rule code '{spec.Code}'; known: {string.Join(", ", Parsers.Keys)}";
            return new RuleParseResult(null, errors);
        }

        // A rule without params may send {}, null or nothing at all; anything else must be an object.
        var parameters = spec.Params;
        if (parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            parameters = EmptyObject;
        }
        else if (parameters.ValueKind != JsonValueKind.Object)
        {
            errors["params"] = "must be an object";
            return new RuleParseResult(null, errors);
        }

        var reader = new RuleParams(spec.Code, parameters, errors);
        var rule = parse(spec, reader);
        reader.RejectUnknown();
        return errors.Count == 0 && rule is not null
            ? new RuleParseResult(rule, errors)
            : new RuleParseResult(null, errors);
    }

    public static RuleListParseResult ParseAll(IReadOnlyList<RuleSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var rules = new List<IRule>(specs.Count);
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var result = Parse(specs[i]);
            foreach (var (path, message) in result.Errors)
            {
                errors[$"rules[{i}].{path}"] = message;
            }

            if (!string.IsNullOrWhiteSpace(specs[i].RuleId) && !seenIds.Add(specs[i].RuleId))
            {
                errors[$"rules[{i}].rule_id"] = $"duplicate rule_id '{specs[i].RuleId}'";
            }

            if (result.Rule is not null)
            {
                rules.Add(result.Rule);
            }
        }

        return errors.Count == 0 ? new RuleListParseResult(rules, errors) : new RuleListParseResult([], errors);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
