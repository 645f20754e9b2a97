using Couriers.Core.Deliveries;

namespace Couriers.Core.Lookup;

/// <summary>
/// A courier's rules, parsed once when the courier changes, so a lookup by package only tests them. No
/// rules accepts every package; rules that no longer parse (stored by an older version) accept none.
/// </summary>
public sealed class CourierRules
{
    public static readonly CourierRules None = new([]);

    private readonly IReadOnlyList<IRule>? _rules;

    private CourierRules(IReadOnlyList<IRule>? rules) => _rules = rules;

    public static CourierRules Parse(IReadOnlyList<RuleSpec> specs)
    {
        if (specs.Count == 0) return None;
        var parsed = RuleRegistry.ParseAll(specs);
        return new CourierRules(parsed.IsValid ? parsed.Rules : null);
    }

    public bool Accepts(Package package)
    {
        if (_rules is null) return false;
        foreach (var rule in _rules)
        {
            if (!rule.Accepts(package)) return false;
        }
        return true;
    }
}
