using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Microsoft.OpenApi;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Packages;

// The day's packages: loaded in batches (idempotent by id), waiting in the pool until assigned.
internal static class PackagesApi
{
    public static RouteGroupBuilder MapPackages(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/packages", "Packages");
        group.Requiring(Policies.CourierSync).AsBulk().MapPost("/", Load).Answers(409)
            .WithSummary("Load a batch of packages (a JSON array in the rules.py shape); all or nothing, idempotent by package_id.");
        group.MapGet("/{id}", Get).Answers(404).WithSummary("One package: its attributes, its status and the driver it is with.");
        group.MapGet("/", List).Paged()
            .Query("status", JsonSchemaType.String, "Only packages in this state.", "unassigned", "assigned", "delivered").WithSummary("List packages by id, optionally by status (unassigned, assigned, delivered).");
        return group;
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> Load(JsonRequest<PackageBatch> body, IDeliveryStore store, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        var result = await store.AddPackagesAsync(body.Value!.Select(p => p.ToPackage()).ToList(), ct);
        return result.Applied ? TypedResults.Ok(BatchResponse.From(result)) : BatchResponse.Conflict(result);
    }

    public static async Task<Results<Ok<PackageResponse>, ProblemHttpResult>> Get(string id, IDeliveryQueries queries, CancellationToken ct)
    {
        if (Identifiers.Problem(id) is { } bad) return Problems.Validation("id", bad);
        var stored = await queries.GetPackageAsync(id, ct);
        return stored is null ? Problems.NotFound("Package", id) : TypedResults.Ok(PackageResponse.From(stored.Package, stored));
    }

    public static async Task<Results<Ok<Envelope<PackageResponse>>, ProblemHttpResult>> List(
        HttpRequest request, IDeliveryStore store, TimeProvider clock, LimitsOptions limits, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        PackageStatus? status = null;
        if (request.Query["status"].ToString() is { Length: > 0 } text)
        {
            if (Enum.TryParse<PackageStatus>(text, ignoreCase: true, out var parsed) && text.All(char.IsAsciiLetterLower)) status = parsed;
            else errors["status"] = ["must be one of unassigned, assigned, delivered"];
        }
        var limit = PagingParameters.Limit(request.Query["limit"], limits, errors);
        PagingParameters.TryCursor(request.Query["cursor"], Cursors.TryDecode, errors, out var after);
        if (errors.Count > 0) return Problems.Validation(errors);

        var asOf = clock.GetUtcNow();
        var page = await store.ListPackagesAsync(status, new PageRequest<string>(limit!.Value, after), ct);
        return TypedResults.Ok(new Envelope<PackageResponse>(page.Items.Select(p => PackageResponse.From(p.Package, p)).ToList(),
            new PageMeta(page.Items.Count, limit.Value, page.NextCursor, asOf)));
    }
}

// What a batch load did: how many items were new, changed, or already so.
internal sealed record BatchResponse(int Created, int Updated, int Unchanged)
{
    public static BatchResponse From(BatchResult r) => new(r.Created, r.Updated, r.Unchanged);

    public static ProblemHttpResult Conflict(BatchResult r) =>
        Problems.Conflict(ProblemTypes.BatchConflict, "The batch conflicts with stored data; nothing was applied.",
            "See errors: each key names the item and field.",
            new() { ["errors"] = r.Conflicts.ToDictionary(c => c.Key, c => new[] { c.Value }) });
}
