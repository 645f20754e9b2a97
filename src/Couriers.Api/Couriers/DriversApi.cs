using System.Text.Json;
using Couriers.Api.Infrastructure;
using Couriers.Api.Packages;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

/// <summary>
/// A day's drivers, in the rules.py shape. A driver is a courier: the same id, the same room. A day's
/// list is authoritative for rules; max_capacity is changed only when given.
/// </summary>
internal static class DriversApi
{
    private static readonly JsonElement NoParams = JsonDocument.Parse("{}").RootElement.Clone();

    public static RouteGroupBuilder MapDrivers(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/drivers", "Drivers");
        group.Requiring(Policies.CourierSync).AsBulk().MapPost("/", Load).DocumentsJsonBody<List<DriverRequest>>()
            .WithSummary("Load a batch of drivers with their rules; all or nothing, idempotent by id.");
        group.MapGet("/{id}", Get).WithSummary("A driver: its courier capacity, rules and active assignments.");
        return group;
    }

    public static Task<Results<Ok<BatchResponse>, ProblemHttpResult>> Load(HttpRequest request, IDeliveryStore store, LimitsOptions limits, CancellationToken ct) =>
        JsonArrays.LoadBatchAsync(request, limits, limits.MaxDriversPerBatch, (e, p, errors) => ReadDriver(e, p, errors, limits.MaxRulesPerDriver), d => d.Id, "id", drivers => store.UpsertDriversAsync(drivers, ct), ct);

    public static async Task<Results<Ok<DriverResponse>, ProblemHttpResult>> Get(string id, IDeliveryStore store, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var driver = await store.GetDriverAsync(id, ct);
        return driver is null ? Problems.NotFound("Driver", id) : TypedResults.Ok(DriverResponse.From(driver));
    }

    private static DriverRecord? ReadDriver(JsonElement element, string path, Dictionary<string, string[]> errors, int maxRules)
    {
        var f = new JsonFields(element, path, errors);
        var id = f.Id("id");
        var max = f.Capacity("max_capacity", required: false);
        var specs = new List<RuleSpec>();
        if (f.Element("rules") is { } rules)
        {
            if (rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() > maxRules)
                f.Fail("rules", $"must be an array of at most {maxRules} rules");
            else
                specs.AddRange(rules.EnumerateArray().Select((rule, i) => ReadRule(rule, f.Path($"rules[{i}]"), errors)).OfType<RuleSpec>());
        }
        f.RejectUnknown();
        if (!f.IsValid) return null;

        var parsed = RuleRegistry.ParseAll(specs);
        foreach (var (field, message) in parsed.Errors) f.Fail(field, message);
        return parsed.IsValid ? new DriverRecord(id!, specs, max) : null;
    }

    private static RuleSpec? ReadRule(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        var f = new JsonFields(element, path, errors);
        var ruleId = f.Id("rule_id");
        var code = f.String("code", maxLength: 64);
        var parameters = f.Element("params", required: false);
        f.RejectUnknown();
        return f.IsValid ? new RuleSpec(ruleId!, code!, parameters?.Clone() ?? NoParams) : null;
    }
}

internal sealed record RuleResponse(string RuleId, string Code, JsonElement Params);

internal sealed record DriverRequest(string Id, List<RuleResponse> Rules, decimal? MaxCapacity);

internal sealed record DriverResponse(string Id, IReadOnlyList<RuleResponse> Rules, int ActiveAssignments, CourierResponse Courier)
{
    public static DriverResponse From(DriverView d) => new(d.Courier.Id,
        d.Rules.Select(r => new RuleResponse(r.RuleId, r.Code, r.Params)).ToList(), d.ActiveAssignments, CourierResponse.From(d.Courier));
}
