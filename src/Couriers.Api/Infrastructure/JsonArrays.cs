using System.Text.Json;
using Couriers.Api.Packages;
using Couriers.Core.Deliveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Infrastructure;

internal static class JsonArrays
{
    /// <summary>
    /// A bulk load endpoint: read the body as a batch (every bad item named), then hand the whole batch
    /// to the store, which applies all of it or none.
    /// </summary>
    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> LoadBatchAsync<T>(HttpRequest request, LimitsOptions limits, int maxItems,
        Func<JsonElement, string, Dictionary<string, string[]>, T?> read, Func<T, string> idOf, string idField,
        Func<List<T>, Task<BatchResult>> apply, CancellationToken ct) where T : class
    {
        var (document, problem) = await JsonBody.ReadAsync(request, limits.BulkBodyBytes, limits.MaxJsonDepth, ct);
        if (problem is not null) return problem;
        using var _ = document;
        var errors = new Dictionary<string, string[]>();
        var items = ReadBatch(document!.RootElement, maxItems, read, idOf, idField, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var result = await apply(items);
        return result.Applied ? TypedResults.Ok(BatchResponse.From(result)) : BatchResponse.Conflict(result);
    }

    /// <summary>
    /// Reads a batch: a JSON array of at most <paramref name="maxItems"/> objects, each read by
    /// <paramref name="read"/> under its index path. Duplicate ids within the batch are refused.
    /// </summary>
    private static List<T> ReadBatch<T>(JsonElement root, int maxItems, Func<JsonElement, string, Dictionary<string, string[]>, T?> read,
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
