namespace Couriers.Core.Deliveries;

/// <summary><c>EXPRESS_ONLY {}</c>: only express packages.</summary>
public sealed record ExpressOnlyRule(RuleSpec Spec) : IRule
{
    public const string CodeName = "EXPRESS_ONLY";
    public string Code => CodeName;
    public string SignatureKey => CodeName;
    public bool Accepts(Package package) => package.IsExpress;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new ExpressOnlyRule(spec);
}
