namespace Couriers.Core.Deliveries;

/// <summary><c>OVERSIZED {min_volume_m3}</c>: volume_m3 ≥ min (a driver for large packages only).</summary>
public sealed record OversizedRule(RuleSpec Spec, decimal MinVolumeM3) : IRule
{
    public const string CodeName = "OVERSIZED";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{RuleKeys.Number(MinVolumeM3)}";
    public bool Accepts(Package package) => package.VolumeM3 >= MinVolumeM3;

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var min = p.Decimal("min_volume_m3", 0m, Package.MaxVolumeM3, minExclusive: true);
        return p.HasErrors ? null : new OversizedRule(spec, min);
    }
}
