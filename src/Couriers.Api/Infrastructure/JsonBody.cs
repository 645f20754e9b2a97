using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Infrastructure;

/// <summary>
/// Reads a request body as JSON whatever its Content-Type: the seeds' curl commands send JSON as
/// curl's default form type, and the Stuart API must work with them verbatim. Parsing is by hand
/// (not model binding) so that every refusal can name the field at fault.
/// </summary>
internal static class JsonBody
{
    /// <returns>The parsed document, or the problem to answer with. The caller disposes the document.</returns>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, long maxBytes, int maxDepth, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.Validation("$", "a JSON request body is required"));

        try
        {
            var options = new JsonDocumentOptions { MaxDepth = maxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
            var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var document = JsonDocument.Parse(json, options);
            if (InvalidText(json.Span, maxDepth) is { } field)
            {
                document.Dispose();
                return (null, Problems.Validation(field, "contains text that is not valid Unicode (a lone surrogate or invalid UTF-8)"));
            }
            return (document, null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, Problems.Validation(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, $"is not valid JSON{at}"));
        }
    }

    /// <summary>
    /// JSON may escape text that is not valid UTF-16 ("\ud800") and parses fine, but reading such a
    /// string throws; checking every string once here means no field reader can be surprised later.
    /// Returns the field holding the first bad string ("$" when it is a key or the root), or null.
    /// </summary>
    private static string? InvalidText(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var property = "$";
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String)) continue;
            try
            {
                var text = reader.GetString()!;
                if (reader.TokenType == JsonTokenType.PropertyName) property = text;
            }
            catch (InvalidOperationException)
            {
                return reader.TokenType == JsonTokenType.PropertyName ? "$" : property;
            }
        }
        return null;
    }

    /// <summary>True when the request carries a body to read (a GET may or may not).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "The request body is too large.",
            $"This endpoint accepts bodies of at most {maxBytes} bytes.", new() { ["max_bytes"] = maxBytes });
}
