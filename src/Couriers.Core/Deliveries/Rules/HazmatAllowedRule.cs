namespace Couriers.Core.Deliveries;

/// <summary>
/// <c>HAZMAT_ALLOWED {allowed_classes}</c>: hazmat_class is null or in the list. An empty list is
/// accepted on purpose: it means "no hazardous goods at all", which is a meaningful rule.
/// </summary>
public sealed record HazmatAllowedRule(RuleSpec Spec, IReadOnlyList<int> AllowedClasses) : IRule
{
    public const string CodeName = "HAZMAT_ALLOWED";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{string.Join(',', AllowedClasses.Order())}";

    public bool Accepts(Package package) =>
        package.HazmatClass is not { } hazmat || AllowedClasses.Contains(hazmat);

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var classes = p.IntegerSet("allowed_classes", Package.MinHazmatClass, Package.MaxHazmatClass);
        return p.HasErrors ? null : new HazmatAllowedRule(spec, classes);
    }
}
