namespace Couriers.Core.Couriers;

/// <summary>
/// Invariant 3 of DESIGN.md: a courier's reserved capacity is derived from its active assignments.
/// A store whose writes are not one transaction (DynamoDB) can be left between two writes by a
/// crash; reconciling completes or undoes what was left and recomputes the capacity. On a
/// transactional store it only recomputes, and finds nothing to change.
/// </summary>
public interface ICapacityReconciler
{
    Task<ReconcileResult> ReconcileAsync(string courierId, CancellationToken ct);
}

/// <param name="Found">False when the courier does not exist (what a crashed delete left is still cleaned).</param>
/// <param name="Repaired">Write sequences found unfinished and completed or undone.</param>
/// <param name="Problems">What could not be repaired automatically and needs a person.</param>
public sealed record ReconcileResult(
    string CourierId,
    bool Found,
    decimal ReservedBefore,
    decimal ReservedAfter,
    int ActiveAssignments,
    int Repaired,
    IReadOnlyList<string> Problems)
{
    public bool Changed => ReservedBefore != ReservedAfter || Repaired > 0;
}
