using Couriers.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Couriers.Api.Infrastructure.OpenApi;

// The OpenAPI document at /openapi/v1.json: generated from the records the API reads and writes.
internal static class ApiDocument
{
    public const string Title = "Courier Capacity API";
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    private const string Description =
        "The source of truth for how much room each courier has left and which packages each driver carries. " +
        "Amounts are liters with at most three decimals; package volumes are m³. Ids are strings (a whole number is accepted " +
        "and stored as its decimal string). Bodies are JSON whatever the Content-Type; unknown fields are refused. Errors are " +
        "RFC 9457 problem+json with a stable type URN; validation errors name every bad field by its JSON path. " +
        "Every endpoint but the health probes needs an API key, in X-Api-Key or as Authorization: Bearer.";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddSchemaTransformer<SchemaTransformer>();
        options.AddOperationTransformer<OperationTransformer>();
        options.AddDocumentTransformer((document, context, ct) =>
        {
            document.Info = new OpenApiInfo { Title = Title, Version = "1.0.0", Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key (`couriers key create`); its roles decide what it may do.",
            };
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same API key, as Authorization: Bearer KEY.",
            };
            return Task.CompletedTask;
        });
    });
}
