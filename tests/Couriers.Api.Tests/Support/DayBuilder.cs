using System.Text.Json;

namespace Couriers.Api.Tests.Support;

/// <summary>JSON for a day's drivers and packages in the rules.py shapes, built in tests.</summary>
public static class DayBuilder
{
    public static string Package(string id, string region = "north", decimal volumeM3 = 0.1m, bool fragile = false, decimal weightKg = 5m) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["package_id"] = id, ["weight_kg"] = weightKg, ["is_perishable"] = false, ["is_express"] = false, ["is_fragile"] = fragile,
            ["region"] = region, ["distance_km"] = 10, ["hazmat_class"] = null, ["temperature_c"] = 4, ["delivery_hour"] = 10,
            ["volume_m3"] = volumeM3,
        });

    public static string Driver(string id, string rules = "[]", decimal? maxCapacity = null) =>
        maxCapacity is { } max ? $$"""{"id": "{{id}}", "rules": {{rules}}, "max_capacity": {{max}}}""" : $$"""{"id": "{{id}}", "rules": {{rules}}}""";

    public static string Array(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

    public const string NorthOnly = """[{"rule_id": "r1", "code": "REGION_ONLY", "params": {"allowed_regions": ["north"]}}]""";

    public const string FragileOnly = """[{"rule_id": "r1", "code": "FRAGILE_ONLY", "params": {}}]""";

    public static Dictionary<string, List<string>> Assignments(this JsonElement response) =>
        response.GetProperty("assignments").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToList());

    public static List<string> Strings(this JsonElement response, string name) =>
        response.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToList();
}
