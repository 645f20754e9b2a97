namespace Couriers.Core.Deliveries;

/// <summary><c>FRAGILE_ONLY {}</c>: only fragile packages.</summary>
public sealed record FragileOnlyRule(RuleSpec Spec) : IRule
{
    public const string CodeName = "FRAGILE_ONLY";
    public string Code => CodeName;
    public string SignatureKey => CodeName;
    public bool Accepts(Package package) => package.IsFragile;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new FragileOnlyRule(spec);
}
