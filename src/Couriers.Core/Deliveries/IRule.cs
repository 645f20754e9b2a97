namespace Couriers.Core.Deliveries;

public interface IRule
{
    RuleSpec Spec { get; }

    string Code { get; }

    /// <summary>
    /// Code plus normalised params. Two rules with the same key accept exactly the same packages,
    /// so the engine evaluates each distinct key once per package instead of once per driver.
    /// </summary>
    string SignatureKey { get; }

    bool Accepts(Package package);
}
