using System.Net;
using System.Text.Json.Nodes;
using Couriers.Testing;

namespace Couriers.Api.Tests.Contract;

/// <summary>
/// The served OpenAPI document is the contract other services generate clients from. These tests send what
/// the document describes and check the service accepts it; every other API test checks, through
/// <see cref="ResponseRecorder"/>, that what the service answers is what the document says.
/// </summary>
public sealed class OpenApiContractTests : IAsyncLifetime
{
    private const string Unknown = "zz_not_documented";

    // Operations in an order where each documented example finds what it refers to: couriers, drivers and
    // packages first, then what uses them, the deletes last.
    private static readonly string[] Order =
    [
        "POST /couriers", "POST /couriers/batch", "PUT /couriers/{id}", "PATCH /couriers/{id}", "POST /drivers", "POST /packages",
        "POST /couriers/{id}/reservations", "POST /assign", "POST /update",
    ];

    private readonly CourierApiFactory _api = new();
    private HttpClient _client = null!;
    private ApiContract _contract = null!;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        _contract = await ApiContract.ServedAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void TheDocumentNamesTheServiceAndItsKeys()
    {
        var info = _contract.Document["info"]!;
        Assert.Equal("Courier Capacity API", info["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(info["description"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(info["version"]?.GetValue<string>()));
        var schemes = _contract.Document["components"]!["securitySchemes"]!;
        Assert.Equal("X-Api-Key", schemes["ApiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("header", schemes["ApiKey"]!["in"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public void EveryOperationDocumentsItsErrorsAsProblemsAndItsKeys()
    {
        foreach (var (method, path, operation) in _contract.Operations())
        {
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401"), $"{method} {path} documents no 401");
            Assert.NotNull(operation["security"]);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.True(response!["content"]?["application/problem+json"]?["schema"] is not null, $"{method} {path} {status} has no problem schema");
            if (path.StartsWith("/health", StringComparison.Ordinal)) continue;
            foreach (var status in new[] { "400", "429", "503", "504" }) Assert.True(responses.ContainsKey(status), $"{method} {path} documents no {status}");
            if (operation["requestBody"] is { } body)
            {
                Assert.True(responses.ContainsKey("413"), $"{method} {path} takes a body but documents no 413");
                Assert.NotNull(body["content"]!["application/json"]!["example"]);
            }
        }
    }

    [Fact]
    public async Task EveryOperationAcceptsTheRequestItsDocumentDescribes()
    {
        var operations = _contract.Operations().OrderBy(Rank).ToList();
        foreach (var (method, path, operation) in operations)
        {
            var body = Example(operation)?.ToJsonString();
            var response = await _client.Send(new HttpMethod(method), Fill(path), body);

            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} with {body}: {(int)response.StatusCode} {answer}");
            Assert.True(operation["responses"]![((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)] is not null,
                $"{method} {path} answered {(int)response.StatusCode}, which it does not document");
        }
    }

    [Fact]
    public async Task EveryDocumentedFieldIsKnownAndEveryRequiredFieldIsRequired()
    {
        foreach (var (method, path, operation) in _contract.Operations().Where(o => o.Operation["requestBody"] is not null))
        {
            var schema = _contract.Resolve(operation["requestBody"]!["content"]!["application/json"]!["schema"])!;
            var isBatch = schema["type"]?.ToJsonString().Contains("array", StringComparison.Ordinal) == true;
            var item = isBatch ? _contract.Resolve(schema["items"])! : schema;
            var prefix = isBatch ? "[0]." : "";
            var required = item["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];

            foreach (var (name, property) in item["properties"]!.AsObject())
            {
                var known = Example(operation)!;
                Target(known, isBatch).TryAdd(name, ValueFor(_contract.Resolve(property)!));
                var errors = await ErrorsAsync(method, path, known);
                Assert.False(errors?[prefix + name]?.ToJsonString().Contains("is not a known field", StringComparison.Ordinal) == true,
                    $"{method} {path}: documented field '{name}' is refused as unknown");

                if (!required.Contains(name)) continue;
                var missing = Example(operation)!;
                Target(missing, isBatch).Remove(name);
                errors = await ErrorsAsync(method, path, missing);
                Assert.True(errors?[prefix + name] is not null, $"{method} {path}: required field '{name}' left out was not refused: {errors}");
            }

            var unknown = Example(operation)!;
            Target(unknown, isBatch)[Unknown] = 1;
            Assert.True((await ErrorsAsync(method, path, unknown))?[prefix + Unknown] is not null, $"{method} {path}: an undocumented field was not refused");
        }
    }

    [Fact]
    public async Task TheDocsPageShowsTheDocumentsTitle()
    {
        var page = await _client.GetStringAsync("/docs/index.html");

        Assert.Contains("<title>Courier Capacity API</title>", page, StringComparison.Ordinal);
    }

    /// <summary>The errors member of the answer to this body, or null when the answer is not a 400.</summary>
    private async Task<JsonObject?> ErrorsAsync(string method, string path, JsonNode body)
    {
        var response = await _client.Send(new HttpMethod(method), Fill(path), body.ToJsonString());
        if (response.StatusCode != HttpStatusCode.BadRequest) return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]?.AsObject();
    }

    private static JsonNode? Example(JsonObject operation) => operation["requestBody"]?["content"]?["application/json"]?["example"]?.DeepClone();

    private static JsonObject Target(JsonNode body, bool isBatch) => isBatch ? body.AsArray()[0]!.AsObject() : body.AsObject();

    /// <summary>A value of the property's documented type, within its documented bounds where it has them.</summary>
    private static JsonNode? ValueFor(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values) return values[0]!.DeepClone();
        var type = schema["type"]?.ToJsonString() ?? "";
        if (type.Contains("string", StringComparison.Ordinal)) return "x1";
        if (type.Contains("integer", StringComparison.Ordinal)) return schema["minimum"]?.GetValue<decimal>() is { } min ? (int)min : 1;
        if (type.Contains("number", StringComparison.Ordinal)) return 1;
        if (type.Contains("boolean", StringComparison.Ordinal)) return true;
        if (type.Contains("array", StringComparison.Ordinal)) return new JsonArray();
        return new JsonObject();
    }

    /// <summary>The path with its parameters named after the documented examples' ids.</summary>
    private static string Fill(string path) => path
        .Replace("/couriers/{id}", "/couriers/1234", StringComparison.Ordinal)
        .Replace("/drivers/{id}", "/drivers/driver_1", StringComparison.Ordinal)
        .Replace("/packages/{id}", "/packages/pkg_1", StringComparison.Ordinal)
        .Replace("{reference}", "pkg-1", StringComparison.Ordinal);

    private static (int, int, int) Rank((string Method, string Path, JsonObject Operation) operation)
    {
        var key = $"{operation.Method} {operation.Path}";
        var listed = Array.IndexOf(Order, key);
        var method = Array.IndexOf(["POST", "PUT", "PATCH", "GET", "DELETE"], operation.Method);
        // Deletes of the longest paths (a reservation) before those of what holds them (its courier).
        return (listed >= 0 ? 0 : 1, listed >= 0 ? listed : method, -operation.Path.Length);
    }
}
