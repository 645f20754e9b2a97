using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Couriers.Api.Tests.Assignments;
using Couriers.Api.Tests.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Couriers.Api.Tests.Resilience;

/// <summary>
/// Thousands of generated malformed and adversarial requests to every endpoint: wrong types, huge and
/// tiny numbers, deep and huge JSON, odd Unicode in ids and paths, duplicate keys, truncated and
/// non-UTF-8 bodies, odd headers and methods. No answer may be a 5xx, every refusal is problem+json,
/// and a refused request changes nothing in the store. Seeded (COURIERS_FUZZ_SEED) and bounded
/// (COURIERS_FUZZ_REQUESTS): the same seed sends the same requests. Over Kestrel on loopback, so that
/// requests only a real HTTP parser sees (a NUL in the path) are sent too.
/// </summary>
public abstract class Fuzz(ApiFixture fixture, ITestOutputHelper output)
{
    protected abstract int DefaultRequests { get; }

    private static readonly string[] Ids = ["c1", "c2", "d1", "d2", "ghost", "pkg-1", "p1", "p2"];

    private static readonly string[] OddStrings =
    [
        "", " ", "a b", "\u0000", "nul\u0000id", "\u202Eevil", "\u200B", "caf\u00e9", "\U0001D4B3", "\ud800", "\udfff", "a\nb", "\t",
        "../../etc/passwd", "%00", "%2F", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "null", "true", "0",
        "-1", "1e400", "NaN", new string('a', 65), new string('x', 5000), "\\", "\"", "\u00ff\u00fe", "AAAA\u0301\u0301\u0301", "c1 ", "C1",
    ];

    private static readonly JsonNode?[] OddValues =
    [
        null, true, false, 0, -1, -0.0, 1.5, 0.0001, 1e-30, 1e30, 1e300, long.MaxValue, long.MinValue, "", "45", "1e400", "NaN",
        new JsonArray(), new JsonObject(), new JsonArray(1, 2, 3), new JsonObject { ["x"] = 1 },
    ];

    private static readonly string[] RawNumbers = ["1e400", "-1e400", "123456789012345678901234567890", "0.00000000000000000000000001",
        "-0", "1E+2", "00012", "1.", ".5", "+5", "0x10", "Infinity", "-Infinity", "NaN", "1_000"];

    private sealed record Template(string Method, Func<Random, string> Path, Func<Random, JsonNode?> Body);

    private static string Id(Random r) => Ids[r.Next(Ids.Length)];

    private static readonly Template[] Templates =
    [
        new("POST", _ => "/couriers", r => new JsonObject { ["id"] = Id(r), ["max_capacity"] = r.Next(1, 100) }),
        new("PATCH", r => $"/couriers/{Id(r)}", r => r.Next(2) == 0 ? new JsonObject { ["max_capacity"] = r.Next(1, 100) } : new JsonObject { ["available_capacity"] = r.Next(0, 40) }),
        new("DELETE", r => $"/couriers/{Id(r)}?force={(r.Next(2) == 0 ? "false" : "true")}", _ => null),
        new("GET", r => $"/couriers?limit={r.Next(1, 10)}", _ => null),
        new("GET", r => $"/couriers/{Id(r)}", _ => null),
        new("GET", r => $"/couriers/lookup?capacity_required={r.Next(0, 50)}", _ => null),
        new("GET", _ => "/couriers/lookup", r => new JsonObject { ["capacity_required"] = r.Next(0, 50), ["limit"] = r.Next(1, 10) }),
        new("POST", _ => "/couriers/lookup", r => new JsonObject { ["capacity_required"] = r.Next(0, 50) }),
        new("POST", r => $"/couriers/{Id(r)}/reservations", r => new JsonObject { ["reference"] = $"r{r.Next(5)}", ["volume"] = r.Next(1, 20) }),
        new("GET", r => $"/couriers/{Id(r)}/reservations", _ => null),
        new("DELETE", r => $"/couriers/{Id(r)}/reservations/r{r.Next(5)}", _ => null),
        new("POST", _ => "/drivers", r => new JsonArray(new JsonObject
        {
            ["id"] = Id(r), ["max_capacity"] = r.Next(50, 500),
            ["rules"] = new JsonArray(new JsonObject { ["rule_id"] = "r1", ["code"] = "MAX_WEIGHT", ["params"] = new JsonObject { ["limit_kg"] = 10 } }),
        })),
        new("GET", r => $"/drivers/{Id(r)}", _ => null),
        new("POST", _ => "/packages", r => new JsonArray(JsonNode.Parse(DayBuilder.Package($"p{r.Next(1, 6)}")))),
        new("GET", r => $"/packages?status={(r.Next(3) switch { 0 => "unassigned", 1 => "assigned", _ => "delivered" })}", _ => null),
        new("POST", _ => "/assign", r => new JsonObject { ["driver_ids"] = new JsonArray("d1"), ["max_per_driver"] = r.Next(1, 3) }),
        new("POST", _ => "/update", r => new JsonObject { ["driver_id"] = "d1", ["package_id"] = $"p{r.Next(1, 3)}", ["status"] = "accepted" }),
        new("PUT", r => $"/couriers/{Id(r)}", r => new JsonObject { ["max_capacity"] = r.Next(1, 100) }),
        new("POST", _ => "/couriers/batch", r => new JsonArray(new JsonObject { ["id"] = Id(r), ["max_capacity"] = r.Next(1, 100) })),
        new("GET", r => $"/drivers?has_room={(r.Next(2) == 0 ? "true" : "false")}&limit={r.Next(1, 10)}", _ => null),
        new("GET", r => $"/drivers/{Id(r)}/assignments?status={(r.Next(2) == 0 ? "assigned" : "delivered")}", _ => null),
        new("GET", r => $"/packages/{Id(r)}", _ => null),
        new("POST", _ => "/couriers/lookup", r => r.Next(2) == 0
            ? new JsonObject { ["package_id"] = $"p{r.Next(1, 3)}" }
            : new JsonObject { ["package"] = JsonNode.Parse(DayBuilder.Package($"p{r.Next(1, 6)}")) }),
    ];

    [Fact]
    public async Task GeneratedMalformedAndAdversarialRequestsNeverGetA5xxAndRefusedOnesChangeNothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("COURIERS_FUZZ_REQUESTS"), out var n) ? n : DefaultRequests;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("COURIERS_FUZZ_SEED"), out var s) ? s : 5;
        var random = new Random(seed);
        var api = fixture.Api;
        using var client = api.ClientWith(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        await client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        await client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""").Succeeds();
        await client.Post("/drivers", """[{"id": "d1", "rules": [], "max_capacity": 500}]""").Succeeds();
        await client.Post("/packages", "[" + DayBuilder.Package("p1") + "]").Succeeds();
        await client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 1}""").Succeeds();
        await client.Post("/packages", "[" + DayBuilder.Package("p2") + "]").Succeeds();

        var statuses = new SortedDictionary<int, int>();
        var before = await SnapshotAsync(api.Services);
        using var fuzzer = api.ClientWith(null);
        for (var i = 0; i < count; i++)
        {
            var (request, description) = Generate(random, i);
            using var _ = request;
            using var response = await fuzzer.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"request {i} ({description}) got {status}: {body}");
            var after = await SnapshotAsync(api.Services);
            if (status >= 400)
            {
                // Kestrel itself refuses some requests (a NUL in the path) before the app, with an empty 400.
                if (body.Length > 0)
                    Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"request {i} ({description}): {status} {body}");
                Assert.True(before == after, $"request {i} ({description}) was refused with {status} but changed the store");
            }
            before = after;
        }
        output.WriteLine($"seed {seed}, {count} requests: " + string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(statuses.Where(p => p.Key >= 400).Sum(p => p.Value) > count / 2, "most generated requests should be refused");
    }

    private static (HttpRequestMessage Request, string Description) Generate(Random r, int i)
    {
        var template = Templates[r.Next(Templates.Length)];
        var method = template.Method;
        var path = template.Path(r);
        var node = template.Body(r);
        byte[]? body = node is null ? null : Encoding.UTF8.GetBytes(node.ToJsonString());
        var mutation = r.Next(22);
        string? contentType = "application/json", ifMatch = null, key = TestKeys.Admin;
        switch (mutation)
        {
            case 0: break; // valid
            case 1: body = Json(SetField(node, r, OddValues[r.Next(OddValues.Length)]?.DeepClone())); break;
            case 2: body = Json(SetField(node, r, JsonValue.Create(OddStrings[r.Next(OddStrings.Length)]))); break;
            case 3: body = RawNumber(node, r); break;
            case 4: body = Json(DropField(node, r)); break;
            case 5: body = Json(SetField(node, r, 1, name: "unexpected_" + r.Next(3))); break;
            case 6: body = DuplicateKey(body); break;
            case 7: body = Encoding.UTF8.GetBytes(Nest(r.Next(2) == 0 ? "[" : "{\"a\":", r.Next(20, 3000), r)); break;
            case 8: body = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(r.Next(2) == 0 ? "1" : "{}", r.Next(1000, 60_000))) + "]"); break;
            case 9: if (body is { Length: > 1 }) body = body[..r.Next(1, body.Length)]; break;
            case 10: body = RandomBytes(r); break;
            case 11: body = body is null ? null : [0xEF, 0xBB, 0xBF, .. body]; break;
            case 12: body = []; break;
            case 13: body = Encoding.UTF8.GetBytes(r.Next(3) switch { 0 => "{\"id\": 1, /* c */ \"max_capacity\": 2}", 1 => "{\"id\": \"c9\", \"max_capacity\": 2,}", _ => "{'id': 'c9'}" }); break;
            case 14: path = ReplaceId(path, Uri.EscapeDataString(OddStrings[r.Next(OddStrings.Length)])); break;
            case 15: path = ReplaceId(path, r.Next(3) switch { 0 => "%00", 1 => "..%2F..%2Fetc", _ => new string('z', r.Next(65, 9000)) }); break;
            case 16: path += (path.Contains('?') ? "&" : "?") + OddQuery(r); break;
            case 17: contentType = r.Next(4) switch { 0 => "text/plain", 1 => "application/json; charset=utf-16", 2 => "multipart/form-data; boundary=x", _ => null }; break;
            case 18: ifMatch = r.Next(4) switch { 0 => "*", 1 => "W/\"1\"", 2 => "\"99999999999999999999999\"", _ => "garbage" }; break;
            case 19: method = r.Next(3) switch { 0 => "PUT", 1 => "PATCH", _ => "HEAD" }; break;
            case 20: key = r.Next(3) switch { 0 => null, 1 => TestKeys.Wrong, _ => new string('k', 10_000) }; break;
            default: key = r.Next(2) == 0 ? TestKeys.Driver : TestKeys.CourierSync; break;
        }
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null && method != "HEAD")
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.Remove("Content-Type");
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        // Mostly the admin key, so that bodies reach the handlers; else none, a wrong or oversized one, or another role's.
        if (key is not null && r.Next(2) == 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        else if (key is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        var shown = body is null ? "" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120));
        return (request, $"#{i} mutation {mutation}: {method} {(path.Length > 120 ? path[..120] + "…" : path)} {shown}");
    }

    private static byte[] Json(JsonNode? node) => Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");

    /// <summary>The object to mutate: the body itself, or the first item of a batch.</summary>
    private static JsonObject? Target(JsonNode? node) => node switch
    {
        JsonObject o => o,
        JsonArray { Count: > 0 } a => a[0] as JsonObject,
        _ => null,
    };

    private static JsonNode? SetField(JsonNode? node, Random r, JsonNode? value, string? name = null)
    {
        if (Target(node) is not { } target) return value;
        var field = name ?? (target.Count == 0 ? "x" : target.ElementAt(r.Next(target.Count)).Key);
        target[field] = value;
        return node;
    }

    private static JsonNode? DropField(JsonNode? node, Random r)
    {
        if (Target(node) is { Count: > 0 } target) target.Remove(target.ElementAt(r.Next(target.Count)).Key);
        return node;
    }

    private static byte[] RawNumber(JsonNode? node, Random r)
    {
        var marker = "\"__raw__\"";
        var text = SetField(node, r, "__raw__")?.ToJsonString() ?? marker;
        return Encoding.UTF8.GetBytes(text.Replace(marker, RawNumbers[r.Next(RawNumbers.Length)], StringComparison.Ordinal));
    }

    private static byte[]? DuplicateKey(byte[]? body)
    {
        if (body is null) return null;
        var text = Encoding.UTF8.GetString(body);
        var open = text.IndexOf('{');
        var close = text.IndexOf(',', open + 1);
        if (open < 0 || close < 0) return body;
        return Encoding.UTF8.GetBytes(text[..(open + 1)] + text[(open + 1)..close] + "," + text[(open + 1)..]);
    }

    private static string Nest(string open, int depth, Random r)
    {
        var close = open == "[" ? "]" : "}";
        var inner = r.Next(2) == 0 ? "1" : "{}";
        return string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
    }

    private static byte[] RandomBytes(Random r)
    {
        var bytes = new byte[r.Next(1, 300)];
        r.NextBytes(bytes);
        if (r.Next(2) == 0) bytes[0] = (byte)'{';
        return bytes;
    }

    private static string ReplaceId(string path, string id)
    {
        var query = path.IndexOf('?');
        var (route, rest) = query < 0 ? (path, "") : (path[..query], path[query..]);
        var segments = route.Split('/');
        if (segments.Length < 3) return route + "/" + id + rest;
        segments[2] = id;
        return string.Join('/', segments) + rest;
    }

    private static string OddQuery(Random r) => r.Next(9) switch
    {
        0 => "limit=-1",
        1 => "limit=99999999999",
        2 => "cursor=" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        3 => "cursor=%FF%FE",
        4 => "capacity_required=1e309",
        5 => "limit=1&limit=2",
        6 => "explain=maybe&force=TRUE",
        7 => "status=%E2%80%AEdelivered",
        _ => "capacity_required=" + new string('9', 400),
    };

    /// <summary>Everything the store holds, read through the ports (cheaper than over HTTP for every request).</summary>
    private static async Task<string> SnapshotAsync(IServiceProvider services)
    {
        var couriers = services.GetRequiredService<ICourierStore>();
        var deliveries = services.GetRequiredService<IDeliveryStore>();
        var ct = CancellationToken.None;
        var text = new StringBuilder();
        var list = await couriers.ListAsync(new PageRequest<string>(500, null), ct);
        foreach (var c in list.Items)
        {
            text.Append($"{c.Id} {c.MaxCapacity} {c.DeclaredLoad} {c.ReservedCapacity} v{c.Version};");
            foreach (var r in await couriers.ListReservationsAsync(c.Id, ct)) text.Append($" {r.Reference}={r.Volume}/{r.Status}");
            if (await deliveries.GetDriverAsync(c.Id, ct) is { } driver)
                text.Append($" rules {JsonSerializer.Serialize(driver.Rules.Select(x => new { x.RuleId, x.Code, P = x.Params.GetRawText() }))}");
            text.Append('\n');
        }
        foreach (var p in (await deliveries.ListPackagesAsync(null, new PageRequest<string>(500, null), ct)).Items)
            text.Append($"{p.Package} {p.Status} {p.DriverId} {p.FailedAttempts}\n");
        return text.ToString();
    }
}

public sealed class FuzzOnSqliteTests(SqliteKestrelApiFixture fixture, ITestOutputHelper output) : Fuzz(fixture, output), IClassFixture<SqliteKestrelApiFixture>
{
    protected override int DefaultRequests => 2000;
}

public sealed class FuzzOnDynamoDbTests(DynamoKestrelApiFixture fixture, ITestOutputHelper output) : Fuzz(fixture, output), IClassFixture<DynamoKestrelApiFixture>
{
    protected override int DefaultRequests => 400;
}
