using System.Text.Json;
using System.Text.Json.Serialization;
using Couriers.Core.Deliveries;

namespace Couriers.Storage;

// How stored JSON (package bodies, rule lists) is written: the same snake_case as the API.
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

    // A stored package, read by generated code: /assign reads the whole pool, 50,000 of them a day.
    public static Package ReadPackage(string json) => JsonSerializer.Deserialize(json, PackageJson.Default.Package)
        ?? throw new JsonException("stored JSON for Package is null");

    public static Package ReadPackage(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize(utf8, PackageJson.Default.Package)
        ?? throw new JsonException("stored JSON for Package is null");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(SnakeCaseRegionConverter)])]
[JsonSerializable(typeof(Package))]
internal sealed partial class PackageJson : JsonSerializerContext;

internal sealed class SnakeCaseRegionConverter() : JsonStringEnumConverter<Region>(JsonNamingPolicy.SnakeCaseLower);
