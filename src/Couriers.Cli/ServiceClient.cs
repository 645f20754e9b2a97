using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Couriers.Cli;

// Posts batches of a day's lists to the service and reads its answers.
internal sealed class ServiceClient : IDisposable
{
    private const int MaxErrorsShown = 20;

    private readonly HttpClient _http;

    public ServiceClient(Uri baseUrl, string? apiKey = null)
    {
        // A trailing slash keeps a path base ("http://host/couriers-api") when relative paths are resolved.
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        // A batch of 50,000 packages is one transaction with an fsync; give it more than HttpClient's default 100 s.
        _http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    // Posts one batch as a JSON array; the answer is the service's counts, or its problem as text.
    public async Task<BatchAnswer> PostBatchAsync(string path, IEnumerable<JsonElement> items, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartArray();
            foreach (var item in items) item.WriteTo(writer);
            writer.WriteEndArray();
        }

        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode && BatchTotals.TryParse(text) is { } totals) return new BatchAnswer(totals, null);
        return new BatchAnswer(null, Describe(response, text));
    }

    public void Dispose() => _http.Dispose();

    // The status line, then the problem's title, detail and per-field errors (RFC 9457), else the raw body.
    private static string Describe(HttpResponseMessage response, string body)
    {
        var text = new StringBuilder($"{(int)response.StatusCode} {response.ReasonPhrase}");
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            if (body.Length > 0) text.Append('\n').Append(body.Length > 2000 ? body[..2000] + "…" : body);
            return text.ToString();
        }

        if (problem.ValueKind != JsonValueKind.Object) return text.Append('\n').Append(body).ToString();
        foreach (var name in (string[])["title", "detail", "type"])
        {
            if (problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                text.Append('\n').Append(name).Append(": ").Append(value.GetString());
        }
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            var all = errors.EnumerateObject().ToList();
            foreach (var field in all.Take(MaxErrorsShown))
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? string.Join("; ", field.Value.EnumerateArray().Select(m => m.ToString()))
                    : field.Value.ToString();
                text.Append("\n  ").Append(field.Name).Append(": ").Append(messages);
            }
            if (all.Count > MaxErrorsShown) text.Append($"\n  … and {all.Count - MaxErrorsShown} more");
        }
        return text.ToString();
    }
}

// The service's answer to a batch: its counts when it took it, else what it said.
internal sealed record BatchAnswer(BatchTotals? Totals, string? Problem);

// What a batch load did, as POST /drivers and POST /packages answer it.
internal sealed record BatchTotals(int Created, int Updated, int Unchanged)
{
    public static BatchTotals None { get; } = new(0, 0, 0);

    public static BatchTotals operator +(BatchTotals a, BatchTotals b) =>
        new(a.Created + b.Created, a.Updated + b.Updated, a.Unchanged + b.Unchanged);

    public static BatchTotals? TryParse(string json)
    {
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("created", out var created) && created.TryGetInt32(out var c)
                   && root.TryGetProperty("updated", out var updated) && updated.TryGetInt32(out var u)
                   && root.TryGetProperty("unchanged", out var unchanged) && unchanged.TryGetInt32(out var n)
                ? new BatchTotals(c, u, n)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Created} created, {Updated} updated, {Unchanged} unchanged";
}
