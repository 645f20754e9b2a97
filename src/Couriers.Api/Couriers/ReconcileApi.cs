using Couriers.Api.Infrastructure;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

/// <summary>
/// Recomputes a courier's reserved room from its active assignments, completing or undoing any write
/// sequence a crash left half done (DynamoDB). Safe to run at any time; on SQLite it finds nothing to fix.
/// </summary>
internal static class ReconcileApi
{
    public static RouteGroupBuilder MapReconcile(this RouteGroupBuilder couriers)
    {
        couriers.Requiring(Policies.Admin).MapPost("/{id}/reconcile", Reconcile)
            .WithSummary("Recompute reserved capacity from the courier's active assignments and repair interrupted writes.");
        return couriers;
    }

    public static async Task<Results<Ok<ReconcileResponse>, ProblemHttpResult>> Reconcile(
        string id, ICapacityReconciler reconciler, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var result = await reconciler.ReconcileAsync(id, ct);
        if (!result.Found) return Problems.NotFound("Courier", id);
        var courier = await store.GetAsync(id, ct);
        return TypedResults.Ok(new ReconcileResponse(result.ReservedBefore, result.ReservedAfter, result.ActiveAssignments,
            result.Repaired, result.Changed, result.Problems, courier is null ? null : CourierResponse.From(courier)));
    }
}

internal sealed record ReconcileResponse(
    decimal ReservedBefore, decimal ReservedAfter, int ActiveAssignments, int Repaired, bool Changed,
    IReadOnlyList<string> Problems, CourierResponse? Courier);
