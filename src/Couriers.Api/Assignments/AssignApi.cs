using System.ComponentModel.DataAnnotations;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Microsoft.OpenApi;
using Couriers.Api.Security;
using Couriers.Api.Telemetry;
using Couriers.Core.Assignment;
using Couriers.Core.Couriers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Assignments;

// The logistics centre's POST /assign: give each driver up to max_per_driver pool packages its rules accept,
// as many in total as the rules, caps and room allow, and record each as status "assigned".
internal static class AssignApi
{
    public static RouteHandlerBuilder MapAssign(this IEndpointRouteBuilder app) =>
        app.MapApiGroup("/assign", "Assignments").Requiring(Policies.Dispatch).AsBulk().MapPost("", Assign).WithBodyLimit(BodySize.Assign).Answers(422)
            .Query("explain", JsonSchemaType.Boolean, "Say why each unassigned package stayed so (as \"explain\": true in the body).")
            .WithSummary("Assign pool packages to drivers (count-optimal, deterministic). ?explain=true says why packages stay unassigned.");

    public static async Task<Results<Ok<AssignResponse>, ProblemHttpResult>> Assign(
        JsonRequest<AssignRequest> body, HttpRequest request, DailyAssignment assignment, ServiceMetrics metrics, CancellationToken ct)
    {
        var query = request.Query["explain"].ToString();
        if (query is not ("" or "true" or "false")) return Problems.Validation("explain", "must be true or false");
        if (body.Problem is { } problem) return problem;
        var (driverIds, maxPerDriver, explain) = body.Value!;

        var options = new AssignmentOptions { Explain = explain == true || query == "true" };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await assignment.AssignAsync(driverIds, maxPerDriver, options, ct);
        metrics.Assigned(result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (result.UnknownDriverIds.Count > 0)
            return Problems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.UnknownDrivers, "Unknown drivers.",
                $"Load these drivers with POST /drivers first: {string.Join(", ", result.UnknownDriverIds)}.",
                new() { ["unknown_driver_ids"] = result.UnknownDriverIds, ["errors"] = new Dictionary<string, string[]> { ["driver_ids"] = ["names unknown drivers"] } });
        return TypedResults.Ok(AssignResponse.From(result, options.Explain));
    }
}

// The logistics centre's body; explain (or ?explain=true) adds why each unassigned package stayed so.
internal sealed record AssignRequest(
    [property: Configured(nameof(LimitsOptions.MaxDriverIdsPerAssign))] List<string> DriverIds,
    [property: Configured(nameof(LimitsOptions.MaxPerDriver))] int MaxPerDriver,
    bool? Explain = null) : IExampleBody<AssignRequest>, IValidatableObject
{
    public static AssignRequest Example => new(["driver_1", "driver_2"], 2);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < DriverIds.Count; i++)
        {
            if (Identifiers.Problem(DriverIds[i]) is { } bad) yield return Limited.Error($"driver_ids[{i}]", bad);
            else if (!seen.Add(DriverIds[i])) yield return Limited.Error($"driver_ids[{i}]", $"repeats '{DriverIds[i]}'");
        }
    }
}

// The keys the logistics centre reads, plus stats and (on request) explanations.
internal sealed record AssignResponse(
    Dictionary<string, IReadOnlyList<string>> Assignments,
    IReadOnlyList<string> UnassignedPackages,
    IReadOnlyList<string> UnassignedDrivers,
    AssignStats Stats,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Dictionary<string, ExplanationResponse>? Explanations = null)
{
    public static AssignResponse From(DailyAssignmentResult r, bool explain) => new(
        r.Assignments.ToDictionary(a => a.DriverId, a => a.PackageIds),
        r.UnassignedPackages,
        r.UnassignedDrivers,
        AssignStats.From(r),
        explain ? r.Explanations.ToDictionary(e => e.PackageId, ExplanationResponse.From) : null);
}

// upper_bound: no plan could assign more of this pool to these drivers; gap = upper_bound minus what
// the plan assigned (0 whenever volume does not bind). bound_method names the relaxation that gave
// the bound (max_flow, max_flow_under_room_caps or linear_relaxation);
// search_stop says why the improvement search ended (its budget, or it ran out of moves).
internal sealed record AssignStats(
    int Assigned, int PoolSize, int UpperBound, int Gap, bool VolumeBinding, double ElapsedMs, int Rounds, string BoundMethod, string SearchStop)
{
    public static AssignStats From(DailyAssignmentResult r) => new(
        r.Assignments.Sum(a => a.PackageIds.Count),
        r.Assignments.Sum(a => a.PackageIds.Count) + r.UnassignedPackages.Count,
        r.Stats?.UpperBound ?? 0,
        r.Stats?.Gap ?? 0,
        r.Stats?.VolumeBinding ?? false,
        Math.Round(r.Stats?.Elapsed.TotalMilliseconds ?? 0, 1),
        r.Rounds,
        Wire(r.Stats?.BoundMethod ?? Core.Assignment.BoundMethod.MaxFlow),
        Wire(r.Stats?.SearchStop ?? Core.Assignment.SearchStop.NotNeeded));

    // MaxFlowUnderRoomCaps → max_flow_under_room_caps, as every other field of the API is spelled.
    private static string Wire<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

internal sealed record ExplanationResponse(string Reason, int CompatibleDrivers, Dictionary<string, int> EliminatedBy, decimal? LargestRoomLiters)
{
    public static ExplanationResponse From(UnassignedExplanation e) => new(
        e.Reason switch
        {
            UnassignedReason.NoDriverAccepts => "no_driver_accepts",
            UnassignedReason.TooLargeForCompatibleDrivers => "too_large_for_compatible_drivers",
            _ => "compatible_drivers_full",
        },
        e.CompatibleDrivers,
        e.EliminatedBy.ToDictionary(x => x.Code, x => x.Drivers),
        e.LargestRoomLitersAmongCompatible);
}
