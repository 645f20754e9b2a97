namespace Couriers.Core.Deliveries;

/// <summary><c>TEMP_CONTROL {min_c, max_c}</c>: temperature_c within [min, max], both ends included.</summary>
public sealed record TempControlRule(RuleSpec Spec, decimal MinC, decimal MaxC) : IRule
{
    public const string CodeName = "TEMP_CONTROL";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{RuleKeys.Number(MinC)}..{RuleKeys.Number(MaxC)}";
    public bool Accepts(Package package) => package.TemperatureC >= MinC && package.TemperatureC <= MaxC;

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var min = p.Decimal("min_c", Package.MinTemperatureC, Package.MaxTemperatureC);
        var max = p.Decimal("max_c", Package.MinTemperatureC, Package.MaxTemperatureC);
        if (!p.HasErrors && min > max)
        {
            p.Error("min_c", "must not be greater than max_c");
        }

        return p.HasErrors ? null : new TempControlRule(spec, min, max);
    }
}
