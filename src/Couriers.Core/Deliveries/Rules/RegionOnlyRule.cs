namespace Couriers.Core.Deliveries;

/// <summary><c>REGION_ONLY {allowed_regions}</c>: region in the list.</summary>
public sealed record RegionOnlyRule(RuleSpec Spec, IReadOnlyList<Region> AllowedRegions) : IRule
{
    public const string CodeName = "REGION_ONLY";
    public string Code => CodeName;
    public string SignatureKey =>
        $"{CodeName}:{string.Join(',', AllowedRegions.Order().Select(r => r.ToWireName()))}";
    public bool Accepts(Package package) => AllowedRegions.Contains(package.Region);

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var regions = p.RegionSet("allowed_regions");
        return p.HasErrors ? null : new RegionOnlyRule(spec, regions);
    }
}
