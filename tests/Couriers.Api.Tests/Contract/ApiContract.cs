using System.Text.Json;
using System.Text.Json.Nodes;
using Couriers.Api.Tests.Support;
using Json.Schema;

namespace Couriers.Api.Tests.Contract;

/// <summary>
/// The OpenAPI document the service serves, read once per test run, with each schema it names turned
/// into a JSON Schema validator ($refs inlined; OpenAPI 3.1 schemas are JSON Schema 2020-12).
/// </summary>
public sealed class ApiContract
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static ApiContract? _served;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private int _built;

    private ApiContract(JsonObject document) => Document = document;

    public JsonObject Document { get; }

    public JsonObject Schemas => Document["components"]!["schemas"]!.AsObject();

    /// <summary>The document as an instance without keys serves it (the docs are public by default).</summary>
    public static async Task<ApiContract> ServedAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_served is not null) return _served;
            await using var api = new CourierApiFactory().WithoutResponseChecks();
            var text = await api.CreateClient().GetStringAsync("/openapi/v1.json");
            return _served = new ApiContract(JsonNode.Parse(text)!.AsObject());
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>Every operation: (method, path template, operation object).</summary>
    public IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        from path in Document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject());

    public JsonObject? Operation(string method, string path) =>
        Document["paths"]?[path]?[method.ToLowerInvariant()]?.AsObject();

    /// <summary>The schema documented for a body ($ref resolved), or null when there is none.</summary>
    public JsonObject? Resolve(JsonNode? schema) => schema?["$ref"] is { } reference
        ? Schemas[reference.GetValue<string>().Split('/')[^1]]!.AsObject()
        : schema?.AsObject();

    /// <summary>A validator for a schema node of the document.</summary>
    public JsonSchema Validator(JsonNode schema)
    {
        var inlined = Inline(schema.DeepClone());
        var key = inlined.ToJsonString();
        lock (_schemas)
        {
            if (_schemas.TryGetValue(key, out var built)) return built;
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            return _schemas[key] = JsonSchema.FromText(key, options, new Uri($"urn:contract:schema-{++_built}"));
        }
    }

    /// <summary>Messages for each place the instance breaks the schema; empty when it is valid.</summary>
    public List<string> Check(JsonNode schema, JsonElement instance)
    {
        var result = Validator(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("not valid")
            .ToList();
    }

    private JsonNode Inline(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o when o["$ref"] is { } reference:
                return Inline(Schemas[reference.GetValue<string>().Split('/')[^1]]!.DeepClone());
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (o[name] is { } child) o[name] = Inline(child.DeepClone());
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } child) a[i] = Inline(child.DeepClone());
                }
                return a;
            default:
                return node;
        }
    }
}
