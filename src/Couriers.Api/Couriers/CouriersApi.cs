using Couriers.Api.Infrastructure;
using Couriers.Api.Packages;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Microsoft.OpenApi;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

// The Stuart API's side: keep the list of couriers and their max capacity in sync.
internal static class CouriersApi
{
    public static RouteGroupBuilder MapCouriers(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/couriers", "Couriers");
        group.MapGet("/", List).Paged().WithSummary("List couriers by id, paged.");
        group.MapGet("/{id}", Get).Answers(304, 404).WithSummary("Read one courier; the ETag is its version.");
        var sync = group.Requiring(Policies.CourierSync);
        group.Requiring(Policies.CourierSync).AsBulk().MapPost("/batch", LoadBatch).Answers(409)
            .WithSummary("Create or update many couriers' max_capacity at once (a full sync); all or nothing, idempotent by id.");
        sync.MapPost("/", Create).Answers(409)
            .WithSummary("Create a courier (idempotent: the same body again answers 200).");
        sync.MapPut("/{id}", Replace).Answers(409, 412)
            .WithSummary("Create or replace a courier's max_capacity (idempotent: the Stuart API's sync). Honours If-Match; 409 if the new max is below the load in use.");
        sync.MapPatch("/{id}", Update).Answers(404, 409, 412)
            .WithSummary("Change max_capacity, or declare untracked load by setting available_capacity. Honours If-Match.");
        sync.MapDelete("/{id}", Delete).Answers(404, 409, 412)
            .Query("force", JsonSchemaType.Boolean, "Delete even while the courier holds reservations; they are released with it.")
            .WithSummary("Delete a courier; refused while it holds reservations unless ?force=true. Honours If-Match.");
        return group;
    }

    public static async Task<Results<Created<CourierResponse>, Ok<CourierResponse>, ProblemHttpResult>> Create(
        JsonRequest<CreateCourierRequest> body, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        var (id, max) = body.Value!;
        var result = await store.CreateAsync(new NewCourier(id, max), ct);
        SetETag(request, result.Courier);
        var courier = CourierResponse.From(result.Courier);
        return result.Status switch
        {
            CreateStatus.Created => TypedResults.Created($"/couriers/{id}", courier),
            CreateStatus.AlreadyExists => TypedResults.Ok(courier),
            _ => Problems.Conflict(ProblemTypes.DuplicateCourier, "The courier already exists with other values.",
                $"Courier '{id}' exists with max_capacity {result.Courier.MaxCapacity}; use PATCH /couriers/{id} to change it.",
                new() { ["current"] = courier }),
        };
    }

    public static async Task<Results<Ok<Envelope<CourierResponse>>, ProblemHttpResult>> List(
        HttpRequest request, ICourierStore store, TimeProvider clock, LimitsOptions limits, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var limit = PagingParameters.Limit(request.Query["limit"], limits, errors);
        PagingParameters.TryCursor(request.Query["cursor"], Cursors.TryDecode, errors, out var after);
        if (errors.Count > 0) return Problems.Validation(errors);

        var asOf = clock.GetUtcNow();
        var page = await store.ListAsync(new PageRequest<string>(limit!.Value, after), ct);
        return TypedResults.Ok(new Envelope<CourierResponse>(
            page.Items.Select(CourierResponse.From).ToList(), new PageMeta(page.Items.Count, limit.Value, page.NextCursor, asOf)));
    }

    public static async Task<Results<Ok<CourierResponse>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        string id, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var courier = await store.GetAsync(id, ct);
        if (courier is null) return Problems.NotFound("Courier", id);
        SetETag(request, courier);
        if (ETags.NoneMatch(request, courier.Version)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(CourierResponse.From(courier));
    }

    // PUT: the courier ends with this max_capacity whatever it had, or is created with it. Sending it again
    // changes nothing (no new version). With If-Match it only replaces that version; If-Match on a courier
    // that does not exist is a 412, since that version is not there to replace.
    public static async Task<Results<Created<CourierResponse>, Ok<CourierResponse>, ProblemHttpResult>> Replace(
        string id, JsonRequest<ReplaceCourierRequest> body, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        if (body.Problem is { } problem) return problem;
        var max = body.Value!.MaxCapacity;
        var expected = ETags.ExpectedVersion(request);
        var mustExist = request.Headers.IfMatch.Count > 0;
        // Another client may create or delete the courier between the read and the write: then read again.
        for (var tries = 0; tries < 10; tries++)
        {
            var current = await store.GetAsync(id, ct);
            if (current is null)
            {
                if (mustExist)
                    return Problems.Problem(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "The resource has changed.",
                        $"Courier '{id}' does not exist, so no version of it matches If-Match; send the PUT without If-Match to create it.");
                var created = await store.CreateAsync(new NewCourier(id, max), ct);
                if (created.Status == CreateStatus.Created)
                {
                    SetETag(request, created.Courier);
                    return TypedResults.Created($"/couriers/{id}", CourierResponse.From(created.Courier));
                }
                continue;
            }
            if (expected is { } version && version != current.Version) return Problems.PreconditionFailed(current.Version);
            if (current.MaxCapacity == max) return Ok(request, current);
            var result = await store.UpdateAsync(id, new CourierChange(max, null), current.Version, ct);
            switch (result.Status)
            {
                case UpdateStatus.Updated: return Ok(request, result.Courier!);
                case UpdateStatus.Refused: return CapacityConflict(result);
                case UpdateStatus.VersionMismatch when expected is not null: return Problems.PreconditionFailed(result.Courier!.Version);
            }
        }
        throw new Core.StoreContentionException($"Courier '{id}' kept changing; it was not replaced.");
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> LoadBatch(JsonRequest<CourierBatch> body, ICourierBatches batches, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        var result = await batches.UpsertCouriersAsync(body.Value!.Select(c => new NewCourier(c.Id, c.MaxCapacity)).ToList(), ct);
        return result.Applied ? TypedResults.Ok(BatchResponse.From(result)) : BatchResponse.Conflict(result);
    }

    public static async Task<Results<Ok<CourierResponse>, ProblemHttpResult>> Update(
        string id, JsonRequest<UpdateCourierRequest> body, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        if (body.Problem is { } problem) return problem;
        var change = new CourierChange(body.Value!.MaxCapacity, body.Value.AvailableCapacity);

        var result = await store.UpdateAsync(id, change, ETags.ExpectedVersion(request), ct);
        return result.Status switch
        {
            UpdateStatus.Updated => Ok(request, result.Courier!),
            UpdateStatus.NotFound => Problems.NotFound("Courier", id),
            UpdateStatus.VersionMismatch => Problems.PreconditionFailed(result.Courier!.Version),
            _ => CapacityConflict(result),
        };
    }

    private static ProblemHttpResult CapacityConflict(UpdateCourierResult result) =>
        Problems.Conflict(ProblemTypes.CapacityConflict, "The change would overbook the courier.",
            $"{result.Field} {result.Error}.", new() { ["field"] = result.Field, ["current"] = CourierResponse.From(result.Courier!) });

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, HttpRequest request, ICourierStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var force = request.Query["force"].ToString();
        if (force is not ("" or "true" or "false")) return Problems.Validation("force", "must be true or false");

        var result = await store.DeleteAsync(id, ETags.ExpectedVersion(request), force == "true", ct);
        return result.Status switch
        {
            DeleteStatus.Deleted => TypedResults.NoContent(),
            DeleteStatus.NotFound => Problems.NotFound("Courier", id),
            DeleteStatus.VersionMismatch => Problems.PreconditionFailed(result.Courier!.Version),
            _ => Problems.Conflict(ProblemTypes.ActiveReservations, "The courier holds active reservations.",
                $"Release them first, or delete with ?force=true to release them with the courier ({result.Courier!.ReservedCapacity} liters reserved)."),
        };
    }

    internal static Ok<CourierResponse> Ok(HttpRequest request, Courier courier)
    {
        SetETag(request, courier);
        return TypedResults.Ok(CourierResponse.From(courier));
    }

    private static void SetETag(HttpRequest request, Courier courier) =>
        request.HttpContext.Response.Headers.ETag = ETags.Format(courier.Version);
}
