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
            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options), null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, Problems.Validation(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, $"is not valid JSON{at}"));
        }
    }

    /// <summary>True when the request carries a body to read (a GET may or may not).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "The request body is too large.",
            $"This endpoint accepts bodies of at most {maxBytes} bytes.", new() { ["max_bytes"] = maxBytes });
}
