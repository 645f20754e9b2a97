using System.ComponentModel.DataAnnotations;

namespace Couriers.Api.Infrastructure.Json;

/// <summary>Checks against the configured limits (page sizes, batch sizes), which attributes cannot name.</summary>
internal static class Limited
{
    public static LimitsOptions Limits(this ValidationContext context) => (LimitsOptions)context.GetService(typeof(LimitsOptions))!;

    public static ValidationResult Error(string field, string message) => new(message, [field]);

    /// <summary>A batch: 1 to <paramref name="max"/> items, and no id twice.</summary>
    public static IEnumerable<ValidationResult> Batch<T>(IReadOnlyList<T> items, int max, Func<T, string> idOf, string idField)
    {
        if (items.Count == 0) yield return Error("$", "must hold at least one item");
        if (items.Count > max) yield return Error("$", $"must hold at most {max} items per request; split the batch");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.TryAdd(idOf(items[i]), i)) yield return Error($"[{i}].{idField}", $"repeats item [{seen[idOf(items[i])]}] of this batch");
        }
    }
}
