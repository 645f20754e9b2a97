using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Couriers.Api.Infrastructure;

internal static class OpenApiBody
{
    /// <summary>
    /// Documents a JSON request body without Accepts&lt;T&gt;(): that metadata makes routing answer 415
    /// to curl's default form Content-Type, which the seeds' commands send.
    /// </summary>
    public static RouteHandlerBuilder DocumentsJsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
