using System.Globalization;
using System.Text.Json.Nodes;
using Couriers.Api.Infrastructure.Json;
using Couriers.Core.Couriers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Couriers.Api.Infrastructure.OpenApi;

// Puts into the schemas what the reader checks beyond types: the id's two forms and alphabet, and each
// property's validation attributes (bounds, lengths, allowed words, configured limits).
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(Id))
        {
            schema.Type = JsonSchemaType.String | JsonSchemaType.Integer | ((schema.Type ?? 0) & JsonSchemaType.Null);
            schema.Pattern = "^[A-Za-z0-9._-]{1,64}$";
            schema.MinLength = 1;
            schema.MaxLength = Identifiers.MaxLength;
            schema.Minimum = "0";
            schema.Description = "An id: 1–64 ASCII letters, digits, '-', '_' or '.'; a whole number is accepted and stored as its decimal string.";
        }
        if (context.JsonPropertyInfo is { Name: "type" } problemType && problemType.DeclaringType == typeof(ProblemResponse))
            schema.Enum = typeof(ProblemTypes).GetFields().Where(f => f.IsLiteral).Select(f => (JsonNode)(string)f.GetRawConstantValue()!).ToList();
        foreach (var attribute in type.GetCustomAttributes(typeof(ConfiguredAttribute), false).Cast<ConfiguredAttribute>())
            Apply(schema, attribute, context.ApplicationServices);
        if (context.JsonPropertyInfo?.AttributeProvider is { } provider)
        {
            foreach (var attribute in provider.GetCustomAttributes(true))
            {
                switch (attribute)
                {
                    case LitersAttribute liters:
                        schema.Minimum = "0";
                        if (!liters.AllowZero) schema.ExclusiveMinimum = "0";
                        schema.Maximum = Liters.Max.ToString(CultureInfo.InvariantCulture);
                        schema.Description = "Liters, at most three decimals (milliliters).";
                        break;
                    case BetweenAttribute between:
                        schema.Minimum = between.Minimum.ToString(CultureInfo.InvariantCulture);
                        if (between.ExclusiveMinimum) schema.ExclusiveMinimum = schema.Minimum;
                        schema.Maximum = between.Maximum.ToString(CultureInfo.InvariantCulture);
                        if (between.MaxDecimals >= 0) schema.Description = $"At most {between.MaxDecimals} decimal places.";
                        break;
                    case MaxCharactersAttribute characters:
                        schema.MaxLength = characters.Length;
                        break;
                    case OneOfAttribute words:
                        schema.Enum = words.Values.Select(v => (JsonNode)v).ToList();
                        break;
                    case ConfiguredAttribute configured:
                        Apply(schema, configured, context.ApplicationServices);
                        break;
                }
            }
        }
        return Task.CompletedTask;
    }

    private static void Apply(OpenApiSchema schema, ConfiguredAttribute configured, IServiceProvider services)
    {
        var max = configured.Max(services);
        if (schema.Type is { } t && t.HasFlag(JsonSchemaType.Array))
        {
            schema.MinItems = configured.Min;
            schema.MaxItems = max;
        }
        else
        {
            schema.Minimum = configured.Min.ToString(CultureInfo.InvariantCulture);
            schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
        }
    }
}
