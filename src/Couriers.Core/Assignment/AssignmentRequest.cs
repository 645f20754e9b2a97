using Couriers.Core.Deliveries;

namespace Couriers.Core.Assignment;

/// <summary>
/// A driver as the engine sees it: <paramref name="Slots"/> = max_per_driver minus its active
/// assignments (≥ 0); <paramref name="RoomLiters"/> = its available capacity, null for no volume limit.
/// </summary>
public sealed record DriverCapacity(string DriverId, IReadOnlyList<IRule> Rules, int Slots, decimal? RoomLiters = null);

public sealed record AssignmentRequest(
    IReadOnlyList<DriverCapacity> Drivers,
    IReadOnlyList<Package> Pool,
    AssignmentOptions? Options = null);

public sealed record AssignmentOptions
{
    public static AssignmentOptions Default { get; } = new();

    /// <summary>
    /// Wall-clock budget of the engine call when room binds, counted from the start of the call
    /// (construction and the bound included): the improvement search stops 5% (at most 50 ms) before
    /// it, so the refill and the answer fit in it too.
    /// </summary>
    public TimeSpan ImprovementBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Caps the improvement phase by work done instead of time (a step is one move tried, or a fixed
    /// amount of work inside a chain search or a re-packing). With a cap that is reached before the
    /// budget, the result depends on the input alone; tests use it so no result depends on machine speed.
    /// </summary>
    public int? MaxImprovementSteps { get; init; }

    public bool Explain { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
