using System.Text.Json.Serialization;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

// Taking room atomically: "this courier takes this package of N liters". Idempotent by the client's
// reference, so a retried request after a lost answer never counts the package twice.
internal static class ReservationsApi
{
    public static RouteGroupBuilder MapReservations(this RouteGroupBuilder couriers)
    {
        var dispatch = couriers.Requiring(Policies.Dispatch);
        dispatch.MapPost("/{id}/reservations", Reserve).Answers(404, 409)
            .WithSummary("Reserve room for a package; 409 when the room is gone. The same reference again is not counted twice.");
        couriers.MapGet("/{id}/reservations", List).Answers(404).WithSummary("The courier's active reservations.");
        dispatch.MapDelete("/{id}/reservations/{reference}", Release).Answers(404, 409).WithSummary("Release a reservation and give its room back.");
        return couriers;
    }

    public static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> Reserve(
        string id, JsonRequest<ReserveRequest> body, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        if (body.Problem is { } problem) return problem;
        var (reference, volume) = body.Value!;

        var result = await store.ReserveAsync(new ReservationRequest(id, reference, volume), ct);
        var courier = result.Courier is null ? null : CourierResponse.From(result.Courier);
        return result.Status switch
        {
            ReserveStatus.Reserved => TypedResults.Created($"/couriers/{id}/reservations/{reference}", ReservationResponse.From(result.Reservation!, courier)),
            ReserveStatus.AlreadyReserved => TypedResults.Ok(ReservationResponse.From(result.Reservation!, courier)),
            ReserveStatus.CourierNotFound => Problems.NotFound("Courier", id),
            ReserveStatus.InsufficientCapacity => Problems.Conflict(ProblemTypes.InsufficientCapacity, "Not enough room left.",
                $"Courier '{id}' has {courier!.AvailableCapacity} liters available; {volume} were asked.",
                new() { ["available_capacity"] = courier.AvailableCapacity, ["requested"] = volume }),
            ReserveStatus.ReferenceActiveOnOtherCourier => Problems.Conflict(ProblemTypes.PackageAssignedElsewhere,
                "The package is already with another courier.", $"Reference '{reference}' is active on courier '{result.OtherCourierId}'.",
                new() { ["courier_id"] = result.OtherCourierId }),
            _ => Problems.Conflict(ProblemTypes.ReferenceConflict, "The reference is already used differently.",
                $"Reference '{reference}' exists on courier '{id}' with volume {result.Reservation!.Volume} and status {result.Reservation.Status}.",
                new() { ["existing"] = ReservationResponse.From(result.Reservation, null) }),
        };
    }

    public static async Task<Results<Ok<Envelope<ReservationResponse>>, ProblemHttpResult>> List(
        string id, ICourierStore store, TimeProvider clock, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var asOf = clock.GetUtcNow();
        if (await store.GetAsync(id, ct) is null) return Problems.NotFound("Courier", id);
        var list = await store.ListReservationsAsync(id, ct);
        var data = list.Select(r => ReservationResponse.From(r, null)).ToList();
        return TypedResults.Ok(new Envelope<ReservationResponse>(data, new PageMeta(data.Count, data.Count, null, asOf)));
    }

    public static async Task<Results<Ok<CourierResponse>, ProblemHttpResult>> Release(
        string id, string reference, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (Identifiers.Problem(id) is { } badId) errors["id"] = [badId];
        if (Identifiers.Problem(reference) is { } badRef) errors["reference"] = [badRef];
        if (errors.Count > 0) return Problems.Validation(errors);

        var result = await store.ReleaseAsync(id, reference, ct);
        return result.Status switch
        {
            ReleaseStatus.Released => CouriersApi.Ok(request, result.Courier!),
            ReleaseStatus.NotFound when result.Courier is null => Problems.NotFound("Courier", id),
            ReleaseStatus.NotFound => Problems.NotFound("Reservation", reference),
            _ => Problems.Conflict(ProblemTypes.ReferenceConflict, "The reservation is no longer active.",
                $"Reference '{reference}' on courier '{id}' is finished; its room was already released."),
        };
    }
}

// A reservation, with the courier's state right after it when the answer concerns room (absent otherwise).
internal sealed record ReservationResponse(
    string CourierId, string Reference, decimal Volume, string Status, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CourierResponse? Courier = null)
{
    public static ReservationResponse From(Reservation r, CourierResponse? courier) =>
        new(r.CourierId, r.Reference, r.Volume, r.Status, r.CreatedAt, courier);
}
