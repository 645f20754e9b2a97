using System.Globalization;
using Couriers.Api.Infrastructure;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Couriers;

/// <summary>
/// The Dispatcher's question: which couriers have at least this much room? A result is advice as of
/// meta.as_of; the only way to take room is a reservation, which fails with 409 once it is gone.
/// </summary>
internal static class LookupApi
{
    public static RouteGroupBuilder MapCourierLookup(this RouteGroupBuilder couriers)
    {
        // GET with a JSON body is what the seed's curl sends; POST is for clients that cannot send one.
        var dispatch = couriers.Requiring(Policies.Dispatch);
        dispatch.MapGet("/lookup", Lookup).DocumentsJsonBody<LookupRequest>()
            .WithSummary("Couriers with available_capacity >= capacity_required, best fit first (JSON body or query string).");
        dispatch.MapPost("/lookup", Lookup).DocumentsJsonBody<LookupRequest>()
            .WithSummary("The same lookup for clients that cannot send a body with GET.");
        return couriers;
    }

    public static async Task<Results<Ok<Envelope<CourierResponse>>, ProblemHttpResult>> Lookup(
        HttpRequest request, ICourierStore store, TimeProvider clock, LimitsOptions limits, CancellationToken ct)
    {
        decimal? required;
        string? limitText = request.Query["limit"], cursorText = request.Query["cursor"];
        var errors = new Dictionary<string, string[]>();
        if (JsonBody.HasBody(request) || HttpMethods.IsPost(request.Method))
        {
            var (document, problem) = await JsonBody.ReadAsync(request, limits.SmallBodyBytes, limits.MaxJsonDepth, ct);
            if (problem is not null) return problem;
            using var _ = document;
            var fields = new JsonFields(document!.RootElement, errors: errors);
            required = fields.Capacity("capacity_required", allowZero: true);
            // Paging may ride in the body too; a body value wins over the query string.
            if (fields.Integer("limit", 1, limits.MaxPageSize, required: false) is { } limit)
                limitText = limit.ToString(CultureInfo.InvariantCulture);
            cursorText = fields.String("cursor", required: false) ?? cursorText;
            fields.RejectUnknown();
        }
        else
        {
            required = RequiredFromQuery(request.Query["capacity_required"], errors);
        }
        var pageSize = PagingParameters.Limit(limitText, limits, errors);
        PagingParameters.TryCursor(cursorText, LookupCursor.TryDecode, errors, out var after);
        if (errors.Count > 0) return Problems.Validation(errors);

        var asOf = clock.GetUtcNow();
        var page = await store.LookupAsync(required!.Value, new PageRequest<LookupCursor>(pageSize!.Value, after), ct);
        return TypedResults.Ok(new Envelope<CourierResponse>(
            page.Items.Select(CourierResponse.From).ToList(), new PageMeta(page.Items.Count, pageSize.Value, page.NextCursor, asOf)));
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

internal sealed record LookupRequest(decimal CapacityRequired, int? Limit, string? Cursor);
