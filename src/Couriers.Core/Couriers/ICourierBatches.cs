using Couriers.Core.Deliveries;

namespace Couriers.Core.Couriers;

/// <summary>
/// The Stuart API's full sync: many couriers created or given a new max_capacity at once. A courier's
/// rules and load are left as they are. Conflicts (a max below the load in use) are named per item
/// ("[i].max_capacity"); on SQLite a batch with any conflict applies nothing.
/// </summary>
public interface ICourierBatches
{
    Task<BatchResult> UpsertCouriersAsync(IReadOnlyList<NewCourier> couriers, CancellationToken ct);
}
