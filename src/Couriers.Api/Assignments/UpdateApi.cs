using System.Text.Json.Serialization;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Couriers.Api.Security;
using Couriers.Api.Packages;
using Couriers.Core.Deliveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Assignments;

/// <summary>
/// The drivers' POST /update: a driver reports a delivery's status. Delivered and failed release the
/// package's volume; a failed package goes back to the pool.
/// </summary>
internal static class UpdateApi
{
    public static RouteHandlerBuilder MapUpdate(this IEndpointRouteBuilder app) =>
        app.MapApiGroup("/update", "Assignments").Requiring(Policies.DriverUpdate).MapPost("", Update).Answers(404, 409)
            .WithSummary("Move a (driver_id, package_id) assignment to a new status; 404 when the pair does not exist, 409 for an illegal move.");

    public static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> Update(
        JsonRequest<UpdateRequest> body, HttpRequest request, IDeliveryStore store, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        var (driverId, packageId, text) = body.Value!;
        AssignmentStatuses.TryParse(text, out var status);
        if (!request.HttpContext.User.MayActForDriver(driverId))
            return Problems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "This API key may not do that.",
                $"This key is bound to another driver and may update only that driver's deliveries, not those of '{driverId}'.");

        var result = await store.UpdateStatusAsync(driverId, packageId, status, ct);
        return result.Outcome switch
        {
            StatusUpdateOutcome.Updated or StatusUpdateOutcome.Unchanged => TypedResults.Ok(AssignmentResponse.From(result.Record!)),
            StatusUpdateOutcome.NotFound => Problems.Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Assignment not found.",
                $"Package '{packageId}' is not assigned to driver '{driverId}'."),
            _ => Problems.Conflict(ProblemTypes.IllegalTransition, "That status change is not allowed.",
                $"An assignment in status {result.Record!.Status.ToWire()} cannot move to {text}.",
                new() { ["current_status"] = result.Record.Status.ToWire(), ["allowed"] = AssignmentStatuses.AllowedFrom(result.Record.Status) }),
        };
    }
}

/// <summary>The /update body: a driver reports where one of its deliveries is.</summary>
internal sealed record UpdateRequest(
    Id DriverId,
    Id PackageId,
    [property: OneOf("assigned", "accepted", "in_progress", "delivered", "failed_to_deliver")] string Status) : IExampleBody<UpdateRequest>
{
    public static UpdateRequest Example => new(new Id("driver_1"), new Id("pkg_1"), "accepted");
}

/// <summary>An assignment record; package is absent when the record holds no package (a reservation made before its package was loaded).</summary>
internal sealed record AssignmentResponse(
    string DriverId, string PackageId, string Status, decimal VolumeLiters, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PackageResponse? Package = null)
{
    public static AssignmentResponse From(AssignmentRecord r) => new(r.DriverId, r.PackageId, r.Status.ToWire(), r.VolumeLiters,
        r.CreatedAt, r.UpdatedAt, r.Package is null ? null : PackageResponse.From(r.Package));
}
