namespace Couriers.Core.Deliveries;

/// <summary><c>REGION_ONLY {allowed_regions}</c>: region in the list.</summary>
public sealed class RegionOnlyRule : IRule
{
    public const string CodeName = "REGION_ONLY";

    private RegionOnlyRule(RuleSpec spec, IReadOnlyList<Region> allowedRegions)
    {
        Spec = spec;
        AllowedRegions = allowedRegions;
    }

    public RuleSpec Spec { get; }

    public IReadOnlyList<Region> AllowedRegions { get; }

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
