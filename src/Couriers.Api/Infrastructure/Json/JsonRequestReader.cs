using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Couriers.Api.Infrastructure.Json;

// Reads every JSON request body: whatever its Content-Type (clients' curl commands send JSON as curl's
// default form type), within the endpoint's body limit (413), the depth limit, without duplicate keys or
// text that is not Unicode. The body is bound to its record by System.Text.Json with the options the
// OpenAPI document is generated from, so the document describes exactly what is read. A body the
// serializer refuses is read again field by field to name every bad field (docs/decisions/0006).
internal sealed class JsonRequestReader
{
    private readonly JsonSerializerOptions _options;
    private readonly LimitsOptions _limits;
    private readonly RequestBinder _binder;
    private readonly RequestValidator _validator;
    private readonly ConcurrentDictionary<Type, bool> _holdsRawJson = new();

    public JsonRequestReader(IOptions<HttpJsonOptions> json, LimitsOptions limits, IServiceProvider services)
    {
        _limits = limits;
        _options = new JsonSerializerOptions(json.Value.SerializerOptions)
        {
            MaxDepth = limits.MaxJsonDepth,
            AllowDuplicateProperties = false,
            TypeInfoResolver = json.Value.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver(),
        };
        _options.MakeReadOnly();
        var checks = new FieldChecks(services);
        _binder = new RequestBinder(_options, checks);
        _validator = new RequestValidator(_options, checks);
    }

    public async ValueTask<JsonRequest<T>> ReadAsync<T>(HttpContext context) where T : class
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && !HasBody(request)) return JsonRequest<T>.Absent;
        var size = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Size ?? BodySize.Small;
        var (body, tooLarge) = await ReadBytesAsync(request, _limits.Bytes(size), context.RequestAborted);
        if (tooLarge is not null) return new JsonRequest<T>(null, tooLarge);
        if (body.Length == 0) return Refused<T>("$", "a JSON request body is required");

        var info = (JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));
        var errors = new FieldErrors();
        T? value = null;
        try
        {
            value = JsonSerializer.Deserialize(body.Span, info);
        }
        catch (JsonException)
        {
            // Read again below, field by field, to name every bad field.
        }
        if (value is not null)
        {
            // Strings the serializer read were checked as it read them; raw JSON it kept (rule params) was not.
            if (HoldsRawJson(info) && InvalidText(body.Span) is { } field) return Refused<T>(field, RequestBinder.NotUnicode);
            _validator.Validate(value, info, "", errors);
            return errors.Count == 0 ? new JsonRequest<T>(value, null) : new JsonRequest<T>(null, Problems.Validation(errors.ByPath));
        }
        return new JsonRequest<T>(null, ExplainRefusal(body, info, errors));
    }

    private ProblemHttpResult ExplainRefusal(ReadOnlyMemory<byte> body, JsonTypeInfo info, FieldErrors errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = _limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return Problems.Validation(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, $"is not valid JSON{at}");
        }
        using (document)
        {
            if (InvalidText(body.Span) is { } field) return Problems.Validation(field, RequestBinder.NotUnicode);
            _binder.Bind(document.RootElement, info, "", errors);
        }
        if (errors.Count == 0) errors.Add("$", "could not be read");
        return Problems.Validation(errors.ByPath);
    }

    // True when the record keeps raw JSON (a JsonElement) somewhere inside it.
    private bool HoldsRawJson(JsonTypeInfo info) => _holdsRawJson.GetOrAdd(info.Type, _ => Holds(info, []));

    private bool Holds(JsonTypeInfo info, HashSet<Type> seen)
    {
        if (!seen.Add(info.Type)) return false;
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(JsonElement)) return true;
        if (info.ElementType is { } element && Holds(_options.GetTypeInfo(element), seen)) return true;
        return info.Kind == JsonTypeInfoKind.Object && info.Properties.Any(p => Holds(_options.GetTypeInfo(p.PropertyType), seen));
    }

    // JSON may escape text that is not valid UTF-16 ("\ud800"): it parses, but reading it throws. Returns
    // the field holding the first such string ("$" when it is a key), or null.
    private string? InvalidText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = _limits.MaxJsonDepth });
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

    private static JsonRequest<T> Refused<T>(string field, string message) where T : class =>
        new(null, Problems.Validation(field, message));

    // True when the request carries a body to read (a GET may or may not).
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static async Task<(ReadOnlyMemory<byte> Body, ProblemHttpResult? TooLarge)> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (default, TooLarge(maxBytes));
        var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        // Pooled: a new 16 KiB chunk for every write's few hundred bytes was most of what a reservation allocated.
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) return (default, TooLarge(maxBytes));
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "The request body is too large.",
            $"This endpoint accepts bodies of at most {maxBytes} bytes.", new() { ["max_bytes"] = maxBytes });
}
