using System.Globalization;

namespace Couriers.Api.Infrastructure;

/// <summary>Page size and cursor from the query string, with errors named after the parameter.</summary>
internal static class PagingParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static int? Limit(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return DefaultLimit;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
            return limit;
        errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        return null;
    }

    /// <summary>Decodes a cursor the service issued; anything else is named as the bad field.</summary>
    public static bool TryCursor<T>(string? text, Func<string, T?> decode, Dictionary<string, string[]> errors, out T? cursor)
        where T : class
    {
        cursor = null;
        if (string.IsNullOrEmpty(text)) return true;
        cursor = decode(text);
        if (cursor is not null) return true;
        errors["cursor"] = ["is not a cursor this service issued"];
        return false;
    }
}
