namespace Couriers.Core.Deliveries;

/// <summary><c>TIME_WINDOW {start_hour, end_hour}</c>: start ≤ delivery_hour &lt; end (end 24 means midnight).</summary>
public sealed record TimeWindowRule(RuleSpec Spec, int StartHour, int EndHour) : IRule
{
    public const string CodeName = "TIME_WINDOW";
    public string Code => CodeName;
    public string SignatureKey => $"{CodeName}:{StartHour}..{EndHour}";
    public bool Accepts(Package package) => package.DeliveryHour >= StartHour && package.DeliveryHour < EndHour;

    internal static IRule? Parse(RuleSpec spec, RuleParams p)
    {
        var start = p.Integer("start_hour", 0, 23);
        var end = p.Integer("end_hour", 1, 24);
        if (!p.HasErrors && start >= end)
        {
            // A window that wraps midnight (22 → 6) is not part of the original's meaning; refuse it clearly.
            p.Error("end_hour", "must be greater than start_hour");
        }

        return p.HasErrors ? null : new TimeWindowRule(spec, start, end);
    }
}
