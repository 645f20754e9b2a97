namespace Couriers.Core.Deliveries;

/// <summary><c>MAX_WEIGHT {limit_kg}</c>: weight_kg ≤ limit.</summary>
public sealed record MaxWeightRule(RuleSpec Spec, decimal LimitKg) : IRule
{
    public const string CodeName = "MAX_WEIGHT";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{RuleKeys.Number(LimitKg)}";
    public bool Accepts(Package package) => package.WeightKg <= LimitKg;

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var limit = p.Decimal("limit_kg", 0m, Package.MaxWeightKg, minExclusive: true);
        return p.HasErrors ? null : new MaxWeightRule(spec, limit);
    }
}
