using System.Globalization;
using System.Text;

namespace Couriers.Core.Paging;

/// <summary>
/// Keyset position in a lookup: the last courier's available room and id. Both stores sort by the
/// same pair, so a cursor means the same thing whichever store issued it.
/// </summary>
public sealed record LookupCursor(decimal Available, string Id)
{
    public string Encode() => Cursors.Encode($"{Available.ToString(CultureInfo.InvariantCulture)}|{Id}");

    public static LookupCursor? TryDecode(string text)
    {
        var raw = Cursors.TryDecode(text);
        var bar = raw?.IndexOf('|') ?? -1;
        if (raw is null || bar <= 0) return null;
        return decimal.TryParse(raw[..bar], NumberStyles.Number, CultureInfo.InvariantCulture, out var available)
            && raw.Length > bar + 1
            ? new LookupCursor(available, raw[(bar + 1)..])
            : null;
    }
}

/// <summary>Opaque cursors: base64url so clients treat them as tokens, not as parsable data.</summary>
public static class Cursors
{
    public static string Encode(string raw) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? TryDecode(string token)
    {
        if (token.Length is 0 or > 512) return null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : null;
    }
}
