using Couriers.Core.Couriers;

namespace Couriers.Api.Operations;

/// <summary>A reconcile that changed something (room recomputed, sequences repaired) is recorded too.</summary>
internal sealed class LoggedCapacityReconciler(ICapacityReconciler inner, OperationalLog log) : ICapacityReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(string courierId, CancellationToken ct)
    {
        var result = await inner.ReconcileAsync(courierId, ct);
        if (result.Changed)
            log.Record(EntityTypes.Courier, courierId, Actions.Reconciled,
                new ReconcileState(result.ReservedBefore),
                new ReconcileState(result.ReservedAfter, result.ActiveAssignments, result.Repaired, result.Problems));
        return result;
    }
}
