namespace Couriers.Api.Infrastructure;

// Strong ETags carry the courier's version, which every change increments.
internal static class ETags
{
    public static string Format(long version) => $"\"{version}\"";

    // The version an If-Match header demands: null when absent or '*', and -1 (matches nothing)
    // when it names no version we ever issued, so a garbled header fails safe with 412.
    public static long? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return null;
        var first = header.Split(',')[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal)) return -1; // If-Match needs strong comparison
        return first.Length > 2 && first[0] == '"' && first[^1] == '"' && long.TryParse(first[1..^1], out var version)
            ? version
            : -1;
    }

    public static bool NoneMatch(HttpRequest request, long version) =>
        request.Headers.IfNoneMatch.ToString().Split(',').Any(tag => tag.Trim() == Format(version) || tag.Trim() == "*");
}
