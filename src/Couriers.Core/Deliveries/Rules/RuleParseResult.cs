namespace Couriers.Core.Deliveries;

/// <summary>Either a rule or field errors (path → message); never both.</summary>
public sealed record RuleParseResult(IRule? Rule, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Rule is not null;
}

/// <summary>Either all of a driver's rules or field errors with paths like <c>rules[1].params.limit_kg</c>.</summary>
public sealed record RuleListParseResult(IReadOnlyList<IRule> Rules, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
