using System.Text.Json;
using System.Text.Json.Serialization;

namespace Couriers.Storage;

/// <summary>How stored JSON (package bodies, rule lists) is written: the same snake_case as the API.</summary>
internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"stored JSON for {typeof(T).Name} is null");
}
