namespace Couriers.Core.Deliveries;

/// <summary><c>MAX_DISTANCE {max_km}</c>: distance_km ≤ max.</summary>
public sealed record MaxDistanceRule(RuleSpec Spec, decimal MaxKm) : IRule
{
    public const string CodeName = "MAX_DISTANCE";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{RuleKeys.Number(MaxKm)}";
    public bool Accepts(Package package) => package.DistanceKm <= MaxKm;

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var max = p.Decimal("max_km", 0m, Package.MaxDistanceKm, minExclusive: true);
        return p.HasErrors ? null : new MaxDistanceRule(spec, max);
    }
}
