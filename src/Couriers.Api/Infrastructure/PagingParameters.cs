using System.Globalization;

namespace Couriers.Api.Infrastructure;

// Page size and cursor from the query string, with errors named after the parameter.
internal static class PagingParameters
{
    public static int? Limit(string? text, LimitsOptions limits, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return limits.DefaultPageSize;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= limits.MaxPageSize)
            return limit;
        errors["limit"] = [$"must be a whole number from 1 to {limits.MaxPageSize}"];
        return null;
    }

    // Decodes a cursor the service issued; anything else is named as the bad field.
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
