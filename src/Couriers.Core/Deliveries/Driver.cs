namespace Couriers.Core.Deliveries;

/// <summary>A driver with parsed rules; <paramref name="MaxCapacityLiters"/> null means no volume limit.</summary>
public sealed record Driver(string Id, IReadOnlyList<IRule> Rules, decimal? MaxCapacityLiters = null)
{
    public bool Accepts(Package package)
    {
        foreach (var rule in Rules)
        {
            if (!rule.Accepts(package))
            {
                return false;
            }
        }

        return true;
    }
}
