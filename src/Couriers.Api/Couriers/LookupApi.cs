using System.Globalization;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Microsoft.OpenApi;
using Couriers.Api.Security;
using System.ComponentModel.DataAnnotations;
using Couriers.Api.Packages;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

// The Dispatcher's question: which couriers have at least this much room? A result is advice as of
// meta.as_of; the only way to take room is a reservation, which fails with 409 once it is gone.
internal static class LookupApi
{
    private const string FieldsSummary = " fields= (comma-separated: id, max_capacity, available_capacity, used_capacity, "
        + "reserved_capacity, declared_load, version, created_at, updated_at) keeps only those fields of each courier.";

    public static RouteGroupBuilder MapCourierLookup(this RouteGroupBuilder couriers)
    {
        // GET with a JSON body is what the seed's curl sends; POST is for clients that cannot send one.
        var dispatch = couriers.Requiring(Policies.Dispatch);
        dispatch.MapGet("/lookup", Lookup).Produces<Envelope<LookupCourier>>().LookupQuery()
            .Answers(404).WithSummary("Couriers with available_capacity >= capacity_required, best fit first (JSON body or query string); " +
                "or, given a package or a package_id, those whose rules accept it and with room for its volume." + FieldsSummary);
        dispatch.MapPost("/lookup", Lookup).Produces<Envelope<LookupCourier>>().LookupQuery()
            .Answers(404).WithSummary("The same lookup for clients that cannot send a body with GET." + FieldsSummary);
        return couriers;
    }

    private static RouteHandlerBuilder LookupQuery(this RouteHandlerBuilder builder) => builder
        .Query("capacity_required", JsonSchemaType.Number, "Liters of room needed (when there is no body).")
        .Query("package_id", JsonSchemaType.String, "Instead of capacity_required: a loaded package; only couriers whose rules accept it and with room for its volume.")
        .Paged()
        .Query("fields", JsonSchemaType.String, "Comma-separated courier fields to keep.");

    public static async Task<Results<LookupResult, ProblemHttpResult>> Lookup(
        JsonRequest<LookupRequest> body, HttpRequest request, ICourierLookup lookup, IDeliveryQueries packages, TimeProvider clock,
        LimitsOptions limits, CancellationToken ct)
    {
        if (body.Problem is { } problem) return problem;
        decimal? required = null;
        Package? package = null;
        string? packageId = null;
        string? limitText = request.Query["limit"], cursorText = request.Query["cursor"], fieldsText = request.Query["fields"];
        var errors = new Dictionary<string, string[]>();
        if (body.Value is { } question)
        {
            (required, package, packageId) = (question.CapacityRequired, question.Package?.ToPackage(), question.PackageId?.Value);
            // Paging and fields may ride in the body too; a body value wins over the query string.
            if (question.Limit is { } limit) limitText = limit.ToString(CultureInfo.InvariantCulture);
            cursorText = question.Cursor ?? cursorText;
            fieldsText = question.Fields ?? fieldsText;
        }
        else if (request.Query["package_id"].ToString() is { Length: > 0 } id)
        {
            if (Identifiers.Problem(id) is { } bad) errors["package_id"] = [bad];
            if (request.Query.ContainsKey("capacity_required")) errors["capacity_required"] = ["give capacity_required or package_id, not both"];
            packageId = id;
        }
        else
        {
            required = RequiredFromQuery(request.Query["capacity_required"], errors);
        }
        var pageSize = PagingParameters.Limit(limitText, limits, errors);
        PagingParameters.TryCursor(cursorText, LookupCursor.TryDecode, errors, out var after);
        var picked = PickedFields(fieldsText, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        if (packageId is not null)
        {
            if (await packages.GetPackageAsync(packageId, ct) is not { } stored) return Problems.NotFound("Package", packageId);
            package = stored.Package;
        }
        var asOf = clock.GetUtcNow();
        var wanted = new PageRequest<LookupCursor>(pageSize!.Value, after);
        var page = package is null ? await lookup.LookupAsync(required!.Value, wanted, ct) : await lookup.LookupForAsync(package, wanted, ct);
        return new LookupResult(page, pageSize.Value, asOf, picked);
    }

    private static CourierFields PickedFields(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null) return CourierFields.All;
        var fields = CourierJson.ParseFields(text, out var unknown);
        if (unknown.Count > 0)
            errors["fields"] = [$"names unknown fields: {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", CourierJson.FieldNames)}"];
        return fields;
    }

    private static decimal? RequiredFromQuery(string? text, Dictionary<string, string[]> errors)
    {
        string? problem;
        if (string.IsNullOrEmpty(text)) problem = "is required (in the JSON body or the query string)";
        else if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) problem = "must be a number";
        else if ((problem = Liters.Problem(value, allowZero: true)) is null) return value;
        errors["capacity_required"] = [problem];
        return null;
    }
}

// The lookup's question in a body (GET with a body, as the seed's curl sends it, or POST).
internal sealed record LookupRequest(
    [property: Liters(AllowZero = true)] decimal? CapacityRequired = null,
    [property: Configured(nameof(LimitsOptions.MaxPageSize))] int? Limit = null,
    [property: MaxCharacters(512)] string? Cursor = null,
    [property: MaxCharacters(512)] string? Fields = null,
    PackageRequest? Package = null,
    Id? PackageId = null) : IExampleBody<LookupRequest>, IValidatableObject
{
    public static LookupRequest Example => new(45m, Limit: 10, Fields: "id,available_capacity");

    // One question at a time: room in liters, or room for a package whose rules must accept it.
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var given = (CapacityRequired is null ? 0 : 1) + (Package is null ? 0 : 1) + (PackageId is null ? 0 : 1);
        if (given == 0) yield return Limited.Error("capacity_required", "is required (or give package or package_id)");
        if (given > 1) yield return Limited.Error(CapacityRequired is null ? "package_id" : "capacity_required",
            "give one of capacity_required, package and package_id");
    }
}

// A courier in a lookup's answer, as the document describes it: the fields of CourierResponse,
// each present unless fields= left it out. The answer itself is written by LookupResult.
internal sealed record LookupCourier(
    string? Id = null,
    decimal? MaxCapacity = null,
    decimal? AvailableCapacity = null,
    decimal? UsedCapacity = null,
    decimal? ReservedCapacity = null,
    decimal? DeclaredLoad = null,
    long? Version = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null);
