namespace Couriers.Core.Deliveries;

/// <summary><c>NO_PERISHABLE {}</c>: only packages that are not perishable.</summary>
public sealed record NoPerishableRule(RuleSpec Spec) : IRule
{
    public const string CodeName = "NO_PERISHABLE";
    public string Code => CodeName;
    public string SignatureKey => CodeName;
    public bool Accepts(Package package) => !package.IsPerishable;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new NoPerishableRule(spec);
}
