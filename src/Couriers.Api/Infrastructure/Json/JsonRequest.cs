using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Infrastructure.Json;

// A request body of type T, bound by JsonRequestReader: either the
// value, or the problem that names every bad field. A GET may come without a body (the lookup takes its
// question from the query string then); Value is null in that case.
internal sealed class JsonRequest<T> where T : class
{
    public static readonly JsonRequest<T> Absent = new(null, null);

    public JsonRequest(T? value, ProblemHttpResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ProblemHttpResult? Problem { get; }

    public static async ValueTask<JsonRequest<T>?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        await context.RequestServices.GetRequiredService<JsonRequestReader>().ReadAsync<T>(context);
}

// Which body limit of LimitsOptions an endpoint reads within (endpoint metadata).
internal enum BodySize { Small, Assign, Bulk }

internal sealed record BodyLimit(BodySize Size);

internal static class BodyLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodySize size) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(size));

    public static long Bytes(this LimitsOptions limits, BodySize size) => size switch
    {
        BodySize.Bulk => limits.BulkBodyBytes,
        BodySize.Assign => limits.AssignBodyBytes,
        _ => limits.SmallBodyBytes,
    };
}
