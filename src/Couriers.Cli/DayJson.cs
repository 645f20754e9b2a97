using System.Text.Json;
using System.Text.Json.Serialization;
using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Cli;

// A day's lists exactly as POST /drivers and POST /packages take them (the rules.py shapes):
// snake_case names, regions as lowercase names, max_capacity only when the driver has one.
internal static class DayJson
{
    public const string DriversFile = "drivers.json";
    public const string PackagesFile = "packages.json";

    // Fixed newline and indentation: the same seed must give byte-identical files on every OS.
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NewLine = "\n",
    };

    public static IReadOnlyList<DriverJson> Drivers(GeneratedDay day) =>
        day.Drivers.Select(d => new DriverJson(d.Id, d.Rules.Select(r => new RuleJson(r.RuleId, r.Code, r.Params)).ToList(),
            d.MaxCapacityLiters)).ToList();

    public static IReadOnlyList<PackageJson> Packages(GeneratedDay day) =>
        day.Packages.Select(p => new PackageJson(p.PackageId, p.WeightKg, p.IsPerishable, p.IsExpress, p.IsFragile,
            p.Region.ToWireName(), p.DistanceKm, p.HazmatClass, p.TemperatureC, p.DeliveryHour, p.VolumeM3, p.DestinationAddress)).ToList();

    public static async Task WriteAsync<T>(string path, IReadOnlyList<T> items, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, items, Options, ct);
        file.WriteByte((byte)'\n');
    }

    // Reads a file that must hold one JSON array; its items are posted as they are, unchanged.
    public static async Task<IReadOnlyList<JsonElement>> ReadArrayAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException($"{path} must hold a JSON array, but holds a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        return document.RootElement.EnumerateArray().Select(item => item.Clone()).ToList();
    }

    public static IReadOnlyList<JsonElement> ToElements<T>(IReadOnlyList<T> items) =>
        items.Select(item => JsonSerializer.SerializeToElement(item, Options)).ToList();
}

internal sealed record RuleJson(string RuleId, string Code, JsonElement Params);

internal sealed record DriverJson(
    string Id,
    IReadOnlyList<RuleJson> Rules,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? MaxCapacity);

// hazmat_class is written even when null (rules.py does); destination_address only when there is one.
internal sealed record PackageJson(
    string PackageId,
    decimal WeightKg,
    bool IsPerishable,
    bool IsExpress,
    bool IsFragile,
    string Region,
    decimal DistanceKm,
    int? HazmatClass,
    decimal TemperatureC,
    int DeliveryHour,
    decimal VolumeM3,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DestinationAddress);
