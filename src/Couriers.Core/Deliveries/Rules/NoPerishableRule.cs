namespace Couriers.Core.Deliveries;

/// <summary><c>NO_PERISHABLE {}</c>: only packages that are not perishable.</summary>
public sealed class NoPerishableRule : IRule
{
    public const string CodeName = "NO_PERISHABLE";

    private NoPerishableRule(RuleSpec spec) => Spec = spec;

    public RuleSpec Spec { get; }

    public string Code => CodeName;

    public string SignatureKey => CodeName;

    public bool Accepts(Package package) => !package.IsPerishable;

    internal static IRule? Parse(RuleSpec spec, RuleParams p) => p.HasErrors ? null : new NoPerishableRule(spec);
}
