using Couriers.Api.Assignments;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.OpenApi;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Couriers.Api.Drivers;

/// <summary>The drivers as a list, and one driver's assignments with their history: reads any client may page through.</summary>
internal static class DriverListApi
{
    public static RouteGroupBuilder MapDriverLists(this RouteGroupBuilder drivers)
    {
        drivers.MapGet("/", List).Paged()
            .Query("has_room", JsonSchemaType.Boolean, "true: only drivers with room left (or no limit); false: only full ones.")
            .WithSummary("List drivers by id, paged; has_room filters by whether a driver has room left.");
        drivers.MapGet("/{id}/assignments", Assignments).Answers(404).Paged()
            .Query("status", JsonSchemaType.String, "Only assignments in this status.", [.. AssignmentStatuses.WireNames])
            .WithSummary("A driver's assignments by package id, delivered and failed ones included, paged.");
        return drivers;
    }

    public static async Task<Results<Ok<Envelope<DriverResponse>>, ProblemHttpResult>> List(
        HttpRequest request, IDeliveryQueries queries, TimeProvider clock, LimitsOptions limits, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        bool? hasRoom = request.Query["has_room"].ToString() switch
        {
            "" => null,
            "true" => true,
            "false" => false,
            _ => Fail(errors, "has_room", "must be true or false"),
        };
        var limit = PagingParameters.Limit(request.Query["limit"], limits, errors);
        PagingParameters.TryCursor(request.Query["cursor"], Cursors.TryDecode, errors, out var after);
        if (errors.Count > 0) return Problems.Validation(errors);

        var asOf = clock.GetUtcNow();
        var page = await queries.ListDriversAsync(hasRoom, new PageRequest<string>(limit!.Value, after), ct);
        return TypedResults.Ok(new Envelope<DriverResponse>(page.Items.Select(DriverResponse.From).ToList(),
            new PageMeta(page.Items.Count, limit.Value, page.NextCursor, asOf)));
    }

    public static async Task<Results<Ok<Envelope<AssignmentResponse>>, ProblemHttpResult>> Assignments(
        string id, HttpRequest request, IDeliveryQueries queries, TimeProvider clock, LimitsOptions limits, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (Identifiers.Problem(id) is { } bad) errors["id"] = [bad];
        AssignmentStatus? status = null;
        if (request.Query["status"].ToString() is { Length: > 0 } text)
        {
            if (AssignmentStatuses.TryParse(text, out var parsed)) status = parsed;
            else errors["status"] = [$"must be one of {string.Join(", ", AssignmentStatuses.WireNames)}"];
        }
        var limit = PagingParameters.Limit(request.Query["limit"], limits, errors);
        PagingParameters.TryCursor(request.Query["cursor"], Cursors.TryDecode, errors, out var after);
        if (errors.Count > 0) return Problems.Validation(errors);

        var asOf = clock.GetUtcNow();
        var page = await queries.ListAssignmentsAsync(id, status, new PageRequest<string>(limit!.Value, after), ct);
        if (page is null) return Problems.NotFound("Driver", id);
        return TypedResults.Ok(new Envelope<AssignmentResponse>(page.Items.Select(AssignmentResponse.From).ToList(),
            new PageMeta(page.Items.Count, limit.Value, page.NextCursor, asOf)));
    }

    private static bool? Fail(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}
