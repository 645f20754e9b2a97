namespace Couriers.Core.Deliveries;

/// <summary><c>EXPRESS_ONLY {}</c>: only express packages.</summary>
public sealed class ExpressOnlyRule : IRule
{
    public const string CodeName = "EXPRESS_ONLY";

    private ExpressOnlyRule(RuleSpec spec) => Spec = spec;

    public RuleSpec Spec { get; }

    public string Code => CodeName;

    public string SignatureKey => CodeName;

    public bool Accepts(Package package) => package.IsExpress;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new ExpressOnlyRule(spec);
}
