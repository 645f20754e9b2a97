namespace Couriers.Api.Infrastructure.Json;

// Errors keyed by JSON path ("max_capacity", "[3].rules[1].params.limit_kg", "$" for the body itself).
internal sealed class FieldErrors
{
    public Dictionary<string, string[]> ByPath { get; } = new(StringComparer.Ordinal);

    public int Count => ByPath.Count;

    public void Add(string path, string message)
    {
        var key = path.Length == 0 ? "$" : path;
        ByPath[key] = ByPath.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
    }

    // A member's path under parent: "[2]" and "$" join without a dot.
    public static string Join(string parent, string member) => member switch
    {
        "$" or "" => parent,
        _ when parent.Length == 0 => member,
        _ when member[0] == '[' => parent + member,
        _ => $"{parent}.{member}",
    };
}
