using System.Reflection;
using System.Text.Json;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Couriers.Api.Infrastructure.OpenApi;

// Completes each operation from what the endpoint is: its body from its JsonRequest{T}
// parameter (with the record's example), its query parameters, every status it can answer with the
// problem schema, and the keys and roles it needs.
internal sealed class OperationTransformer(IOptions<HttpJsonOptions> json) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var isGet = string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
        var body = BodyType(metadata.OfType<MethodInfo>().FirstOrDefault());
        if (body is not null)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !isGet,
                Description = "JSON, whatever the Content-Type says (curl's default form type included). Unknown fields, duplicate keys " +
                    "and numbers given as strings are refused; a 400 names every bad field by its JSON path." + (isGet ? " Optional: without a body the question is read from the query string." : ""),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await ComponentAsync(context, body, null, ct), Example = Example(body) },
                },
            };

        foreach (var query in metadata.OfType<QueryParameter>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name, In = ParameterLocation.Query, Description = query.Description,
                Schema = new OpenApiSchema { Type = query.Type, Enum = query.Values.Length == 0 ? null : query.Values.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToList() },
            });
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var statuses = new SortedSet<int>(metadata.OfType<Answers>().SelectMany(a => a.Statuses));
        if (metadata.OfType<ApiEndpoint>().Any()) statuses.UnionWith([400, 429, 503, 504]);
        if (!anonymous) statuses.Add(401);
        if (policies.Any(p => p != Policies.Read)) statuses.Add(403);
        if (body is not null) statuses.UnionWith([400, 413]);

        operation.Responses ??= [];
        var problem = await ComponentAsync(context, typeof(ProblemResponse), "Problem", ct);
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key)) continue;
            operation.Responses[key] = status == StatusCodes.Status304NotModified
                ? new OpenApiResponse { Description = "Not modified: If-None-Match names the current ETag." }
                : new OpenApiResponse
                {
                    Description = Describe(status),
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                };
        }

        if (anonymous) return;
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.ApiKeyScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.BearerScheme, context.Document)] = [] },
        ];
        var roles = RolesFor(policies);
        operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + $"Roles: {string.Join(", ", roles)}.";
    }

    // The type's schema as a named component (created once), so clients generate one type for it.
    private async Task<IOpenApiSchema> ComponentAsync(OpenApiOperationTransformerContext context, Type type, string? name, CancellationToken ct)
    {
        name ??= OpenApiOptions.CreateDefaultSchemaReferenceId(json.Value.SerializerOptions.GetTypeInfo(type)) ?? type.Name;
        if (context.Document?.Components?.Schemas?.ContainsKey(name) != true)
            context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(name, context.Document);
    }

    private static Type? BodyType(MethodInfo? handler) => handler?.GetParameters().Select(p => p.ParameterType)
        .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(JsonRequest<>))?.GetGenericArguments()[0];

    private System.Text.Json.Nodes.JsonNode? Example(Type body) =>
        body.GetProperty(nameof(IExampleBody<>.Example), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is { } example
            ? JsonSerializer.SerializeToNode(example, body, json.Value.SerializerOptions)
            : null;

    // The roles that pass every policy the endpoint names (admin passes all).
    private static IEnumerable<string> RolesFor(List<string> policies)
    {
        IEnumerable<string> roles = Roles.All;
        foreach (var policy in policies)
        {
            roles = policy switch
            {
                Policies.CourierSync => roles.Intersect([Roles.CourierSync, Roles.Admin]),
                Policies.Dispatch => roles.Intersect([Roles.Dispatcher, Roles.Admin]),
                Policies.DriverUpdate => roles.Intersect([Roles.Driver, Roles.Admin]),
                _ => roles,
            };
        }
        return roles;
    }

    private static string Describe(int status) => status switch
    {
        400 => "The request is not valid: errors names each bad field (a JSON path into the body, or a query or route parameter).",
        401 => "No valid API key (X-Api-Key or Authorization: Bearer).",
        403 => "The key's roles do not allow this.",
        404 => "Not found.",
        409 => "Conflicts with the stored state; the problem's type and members say how.",
        412 => "If-Match does not name the current ETag.",
        413 => "The body is larger than this endpoint accepts (max_bytes).",
        422 => "The request names things that do not exist.",
        429 => "This client is over its request rate; Retry-After says when to try again.",
        503 => "The store is unavailable; retry after Retry-After seconds.",
        504 => "The request took longer than its timeout.",
        _ => "See the problem.",
    };
}
