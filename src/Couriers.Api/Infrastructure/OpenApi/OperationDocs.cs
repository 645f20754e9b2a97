using Microsoft.OpenApi;

namespace Couriers.Api.Infrastructure.OpenApi;

// Statuses an endpoint answers for its own outcomes (404, 409, 412, 422, 304), beyond those every endpoint of its kind has.
internal sealed record Answers(int[] Statuses);

// A query-string parameter the handler reads itself, as the document shows it.
internal sealed record QueryParameter(string Name, JsonSchemaType Type, string Description, string[] Values);

// Marks an endpoint of the API's route groups: keyed, rate limited, timed out, backed by the store.
internal sealed record ApiEndpoint;

internal static class OperationDocs
{
    public static TBuilder Answers<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Answers(statuses));

    public static TBuilder Query<TBuilder>(this TBuilder builder, string name, JsonSchemaType type, string description, params string[] values)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new QueryParameter(name, type, description, values));

    // limit and cursor, as every list and lookup reads them.
    public static TBuilder Paged<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder
        .Query("limit", JsonSchemaType.Integer, "Page size, from 1 to Limits:MaxPageSize (500 by default); Limits:DefaultPageSize (50) when absent.")
        .Query("cursor", JsonSchemaType.String, "meta.next_cursor of the previous page: an opaque token.");
}
