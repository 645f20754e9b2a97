using System.ComponentModel.DataAnnotations;

namespace Couriers.Api.Infrastructure.Json;

// Results of a record's own checks (IValidatableObject), keyed by the JSON path of the field.
internal static class Limited
{
    public static ValidationResult Error(string field, string message) => new(message, [field]);

    // A batch: as many items as its class's [Configured] limit allows, and no id twice.
    public static IEnumerable<ValidationResult> Batch<T>(ValidationContext context, IReadOnlyList<T> items, Func<T, string> idOf, string idField)
    {
        var max = context.ObjectType.GetCustomAttributes(typeof(ConfiguredAttribute), false).Cast<ConfiguredAttribute>().Single().Max(context);
        if (items.Count == 0) yield return Error("$", "must hold at least one item");
        if (items.Count > max) yield return Error("$", $"must hold at most {max} items per request; split the batch");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.TryAdd(idOf(items[i]), i)) yield return Error($"[{i}].{idField}", $"repeats item [{seen[idOf(items[i])]}] of this batch");
        }
    }
}
