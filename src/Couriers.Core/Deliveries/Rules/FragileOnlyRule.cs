namespace Couriers.Core.Deliveries;

/// <summary><c>FRAGILE_ONLY {}</c>: only fragile packages.</summary>
public sealed class FragileOnlyRule : IRule
{
    public const string CodeName = "FRAGILE_ONLY";

    private FragileOnlyRule(RuleSpec spec) => Spec = spec;

    public RuleSpec Spec { get; }

    public string Code => CodeName;

    public string SignatureKey => CodeName;

    public bool Accepts(Package package) => package.IsFragile;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new FragileOnlyRule(spec);
}
