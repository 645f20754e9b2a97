using System.Text.Json;

namespace Couriers.Api.Infrastructure;

internal static class JsonArrays
{
    /// <summary>
    /// Reads a batch: a JSON array of at most <paramref name="maxItems"/> objects, each read by
    /// <paramref name="read"/> under its index path. Duplicate ids within the batch are refused.
    /// </summary>
    public static List<T> ReadBatch<T>(JsonElement root, int maxItems, Func<JsonElement, string, Dictionary<string, string[]>, T?> read,
        Func<T, string> idOf, string idField, Dictionary<string, string[]> errors) where T : class
    {
        var items = new List<T>();
        if (root.ValueKind != JsonValueKind.Array) { errors["$"] = ["must be a JSON array"]; return items; }
        var count = root.GetArrayLength();
        if (count == 0) { errors["$"] = ["must hold at least one item"]; return items; }
        if (count > maxItems) { errors["$"] = [$"must hold at most {maxItems} items per request; split the batch"]; return items; }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            if (read(element, $"[{index}]", errors) is { } item)
            {
                if (seen.TryGetValue(idOf(item), out var first))
                    errors[$"[{index}].{idField}"] = [$"repeats item [{first}] of this batch"];
                else
                    seen[idOf(item)] = index;
                items.Add(item);
            }
            index++;
        }
        return items;
    }
}
