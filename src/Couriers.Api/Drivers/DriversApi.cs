using System.Text.Json;
using Couriers.Api.Couriers;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Couriers.Api.Packages;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Drivers;

/// <summary>
/// A day's drivers, in the rules.py shape. A driver is a courier: the same id, the same room. A day's
/// list is authoritative for rules; max_capacity is changed only when given.
/// </summary>
internal static class DriversApi
{
    public static RouteGroupBuilder MapDrivers(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/drivers", "Drivers");
        group.Requiring(Policies.CourierSync).AsBulk().MapPost("/", Load).Answers(409)
            .WithSummary("Load a batch of drivers with their rules; all or nothing, idempotent by id.");
        group.MapGet("/{id}", Get).Answers(404).WithSummary("A driver: its courier capacity, rules and active assignments.");
        return group;
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> Load(JsonRequest<DriverBatch> body, IDeliveryStore store, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        var result = await store.UpsertDriversAsync(body.Value!.Select(d => d.ToRecord()).ToList(), ct);
        return result.Applied ? TypedResults.Ok(BatchResponse.From(result)) : BatchResponse.Conflict(result);
    }

    public static async Task<Results<Ok<DriverResponse>, ProblemHttpResult>> Get(string id, IDeliveryStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var driver = await store.GetDriverAsync(id, ct);
        return driver is null ? Problems.NotFound("Driver", id) : TypedResults.Ok(DriverResponse.From(driver));
    }
}

internal sealed record RuleResponse(string RuleId, string Code, JsonElement Params);

internal sealed record DriverResponse(string Id, IReadOnlyList<RuleResponse> Rules, int ActiveAssignments, CourierResponse Courier)
{
    public static DriverResponse From(DriverView d) => new(d.Courier.Id,
        d.Rules.Select(r => new RuleResponse(r.RuleId, r.Code, r.Params)).ToList(), d.ActiveAssignments, CourierResponse.From(d.Courier));
}
