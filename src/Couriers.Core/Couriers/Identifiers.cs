namespace Couriers.Core.Couriers;

/// <summary>
/// Ids of couriers, drivers, packages and references. Kept to a URL- and key-safe alphabet so an id
/// can sit in a path segment, a DynamoDB key and a log line without escaping.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    public static string? Problem(string id)
    {
        if (id.Length == 0) return "must not be empty";
        if (id.Length > MaxLength) return $"must be at most {MaxLength} characters";
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return "may contain only ASCII letters, digits, '-', '_' and '.'";
        }
        return null;
    }
}
