using System.Text.Json;
using System.Text.Json.Serialization;

namespace Couriers.Api.Infrastructure.Json;

// The API's JSON options: the request reader and the OpenAPI document both follow them.
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        // Amounts are JSON numbers only, a field without a default is required, null only where the record
        // says so, and unknown fields are refused.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
