using System.Net;
using System.Text.Json;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

/// <summary>
/// Every endpoint against every kind of bad input: each answer is a 4xx problem+json naming the
/// field at fault, and nothing in the store changes.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private static readonly string Oversized = $$"""{"id": "c9", "max_capacity": 1, "pad": "{{new string('x', 20_000)}}"}""";
    private static readonly string TooLongId = new('a', 65);

    private readonly CourierApiFactory _api = new();
    private HttpClient _client = null!;

    public sealed record Case(string Method, string Path, string? Body, int Status, string Field)
    {
        public override string ToString() => $"{Method} {Path} {Body?[..Math.Min(Body.Length, 40)]} -> {Status} {Field}";
    }

    public static TheoryData<Case> Cases()
    {
        var cases = new List<Case>();
        // Bodies that are bad for any endpoint that reads one.
        foreach (var (method, path) in new[] { ("POST", "/couriers"), ("PATCH", "/couriers/c1"), ("POST", "/couriers/lookup"), ("GET", "/couriers/lookup"),
            ("POST", "/couriers/c1/reservations"), ("POST", "/drivers"), ("POST", "/packages"), ("POST", "/assign"), ("POST", "/update"),
            ("PUT", "/couriers/c1"), ("POST", "/couriers/batch") })
        {
            var batch = path is "/drivers" or "/packages" or "/couriers/batch";
            cases.Add(new(method, path, """{"id": 1, "max_capacity": """, 400, "$"));
            cases.Add(new(method, path, "not json", 400, "$"));
            cases.Add(new(method, path, "[1, 2]", 400, batch ? "[0]" : "$"));
            cases.Add(new(method, path, "\"text\"", 400, "$"));
            if (!batch && path != "/assign") cases.Add(new(method, path, Oversized, 413, "max_bytes"));
            if (method != "GET") cases.Add(new(method, path, "", 400, "$"));
        }

        // POST /couriers
        Add("POST", "/couriers", """{"max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "c9"}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": "45"}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": true}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": null}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 0}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": -1}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": "NaN"}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": NaN}""", "$");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 1e400}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 1000000.001}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 45.0001}""", "max_capacity");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": [45]}""", "max_capacity");
        Add("POST", "/couriers", """{"id": 1.5, "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": -7, "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": 1e3, "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": {"x": 1}, "max_capacity": 45}""", "id");
        Add("POST", "/couriers", $$"""{"id": "{{TooLongId}}", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "a b", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "../etc", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "caf\u00e9", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "nul\u0000", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 45, "colour": "red"}""", "colour");
        Add("POST", "/couriers", """{"id": "c9", "max_capacity": 45, "max_capacity": 46}""", "max_capacity");

        // PATCH /couriers/{id}
        Add("PATCH", "/couriers/c1", "{}", "max_capacity");
        Add("PATCH", "/couriers/c1", """{"max_capacity": -5}""", "max_capacity");
        Add("PATCH", "/couriers/c1", """{"max_capacity": 1e29}""", "max_capacity");
        Add("PATCH", "/couriers/c1", """{"available_capacity": -1}""", "available_capacity");
        Add("PATCH", "/couriers/c1", """{"available_capacity": "10"}""", "available_capacity");
        Add("PATCH", "/couriers/c1", """{"max_capacity": 50, "id": "c2"}""", "id");
        Add("PATCH", $"/couriers/{TooLongId}", """{"max_capacity": 50}""", "id");
        cases.Add(new("PATCH", "/couriers/ghost", """{"max_capacity": 50}""", 404, "type"));
        cases.Add(new("PATCH", "/couriers/c1", """{"available_capacity": 46}""", 409, "field"));

        // PUT /couriers/{id} and POST /couriers/batch: the Stuart API's sync
        Add("PUT", "/couriers/c1", "{}", "max_capacity");
        Add("PUT", "/couriers/c1", """{"max_capacity": "45"}""", "max_capacity");
        Add("PUT", "/couriers/c1", """{"max_capacity": 0}""", "max_capacity");
        Add("PUT", "/couriers/c1", """{"max_capacity": 45, "id": "c1"}""", "id");
        Add("PUT", "/couriers/a%20b", """{"max_capacity": 45}""", "id");
        cases.Add(new("PUT", "/couriers/c1", """{"max_capacity": 5}""", 409, "field"));
        Add("POST", "/couriers/batch", "{}", "$");
        Add("POST", "/couriers/batch", "[]", "$");
        Add("POST", "/couriers/batch", """[{"max_capacity": 5}]""", "[0].id");
        Add("POST", "/couriers/batch", """[{"id": "b1", "max_capacity": 5}, {"id": "b 2", "max_capacity": -1}]""", "[1].max_capacity");
        Add("POST", "/couriers/batch", """[{"id": "b1", "max_capacity": 5}, {"id": "b 2", "max_capacity": -1}]""", "[1].id");
        Add("POST", "/couriers/batch", """[{"id": "b1", "max_capacity": 5}, {"id": "b1", "max_capacity": 5}]""", "[1].id");
        Add("POST", "/couriers/batch", """[{"id": "b1", "max_capacity": 5, "rules": []}]""", "[0].rules");
        cases.Add(new("POST", "/couriers/batch", """[{"id": "b1", "max_capacity": 5}, {"id": "c1", "max_capacity": 5}]""", 409, "errors"));

        // Reading the day back
        Add("GET", "/drivers?has_room=maybe", null, "has_room");
        Add("GET", "/drivers?limit=0", null, "limit");
        Add("GET", "/drivers?cursor=%%%", null, "cursor");
        Add("GET", "/drivers/d1/assignments?status=lost", null, "status");
        Add("GET", "/drivers/d1/assignments?limit=501", null, "limit");
        Add("GET", "/drivers/a%20b/assignments", null, "id");
        cases.Add(new("GET", "/drivers/ghost/assignments", null, 404, "type"));
        Add("GET", "/packages/a%20b", null, "id");
        cases.Add(new("GET", "/packages/ghost", null, 404, "type"));

        // GET/DELETE /couriers/{id} and the list
        Add("GET", "/couriers/a%20b", null, "id");
        Add("GET", $"/couriers/{TooLongId}", null, "id");
        cases.Add(new("GET", "/couriers/ghost", null, 404, "type"));
        Add("DELETE", "/couriers/c%C3%A9", null, "id");
        Add("DELETE", "/couriers/c1?force=yes", null, "force");
        cases.Add(new("DELETE", "/couriers/ghost", null, 404, "type"));
        Add("GET", "/couriers?limit=0", null, "limit");
        Add("GET", "/couriers?limit=501", null, "limit");
        Add("GET", "/couriers?limit=abc", null, "limit");
        Add("GET", "/couriers?cursor=%%%", null, "cursor");

        // Lookup, body and query forms
        Add("GET", "/couriers/lookup", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=-1", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=abc", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=NaN", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=1e400", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=1.00001", null, "capacity_required");
        Add("GET", "/couriers/lookup?capacity_required=5&cursor=bm9wZQ", null, "cursor");
        Add("GET", "/couriers/lookup?capacity_required=5&limit=-3", null, "limit");
        foreach (var method in new[] { "GET", "POST" })
        {
            Add(method, "/couriers/lookup", "{}", "capacity_required");
            Add(method, "/couriers/lookup", """{"capacity_required": "45"}""", "capacity_required");
            Add(method, "/couriers/lookup", """{"capacity_required": -45}""", "capacity_required");
            Add(method, "/couriers/lookup", """{"capacity_required": 1e30}""", "capacity_required");
            Add(method, "/couriers/lookup", """{"capacity_required": 45, "limit": 0}""", "limit");
            Add(method, "/couriers/lookup", """{"capacity_required": 45, "limit": 2.5}""", "limit");
            Add(method, "/couriers/lookup", """{"capacity_required": 45, "cursor": 12}""", "cursor");
            Add(method, "/couriers/lookup", """{"capacity_required": 45, "size": "L"}""", "size");
            // By package: its attributes as in POST /packages, or a loaded package's id; one question at a time.
            Add(method, "/couriers/lookup", """{"package": {}}""", "package.package_id");
            Add(method, "/couriers/lookup", $$"""{"package": {{Pkg("x1").Replace("\"weight_kg\":5", "\"weight_kg\":-5")}}}""", "package.weight_kg");
            Add(method, "/couriers/lookup", """{"package": [1]}""", "package");
            Add(method, "/couriers/lookup", """{"package_id": 1.5}""", "package_id");
            Add(method, "/couriers/lookup", """{"package_id": "p2", "capacity_required": 5}""", "capacity_required");
            cases.Add(new(method, "/couriers/lookup", """{"package_id": "ghost"}""", 404, "type"));
        }
        Add("GET", "/couriers/lookup?package_id=a%20b", null, "package_id");
        Add("GET", "/couriers/lookup?package_id=p2&capacity_required=5", null, "capacity_required");
        cases.Add(new("GET", "/couriers/lookup?package_id=ghost", null, 404, "type"));

        // Reservations
        Add("POST", "/couriers/c1/reservations", """{"volume": 5}""", "reference");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg-9"}""", "volume");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg 9", "volume": 5}""", "reference");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg-9", "volume": 0}""", "volume");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg-9", "volume": -5}""", "volume");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg-9", "volume": 5.0000001}""", "volume");
        Add("POST", "/couriers/c1/reservations", """{"reference": "pkg-9", "volume": 5, "urgent": true}""", "urgent");
        Add("POST", "/couriers/c%20d/reservations", """{"reference": "pkg-9", "volume": 5}""", "id");
        cases.Add(new("POST", "/couriers/ghost/reservations", """{"reference": "pkg-9", "volume": 5}""", 404, "type"));
        cases.Add(new("POST", "/couriers/c1/reservations", """{"reference": "pkg-9", "volume": 40}""", 409, "available_capacity"));
        cases.Add(new("POST", "/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 3}""", 409, "existing"));
        Add("GET", "/couriers/c%21/reservations", null, "id");
        cases.Add(new("GET", "/couriers/ghost/reservations", null, 404, "type"));
        Add("DELETE", "/couriers/c1/reservations/p%20q", null, "reference");
        cases.Add(new("DELETE", "/couriers/c1/reservations/pkg-404", null, 404, "type"));
        cases.Add(new("DELETE", "/couriers/ghost/reservations/pkg-1", null, 404, "type"));

        // Text that is not valid Unicode: a lone surrogate escaped in JSON parses, but cannot be read.
        Add("POST", "/couriers", """{"id": "\ud800", "max_capacity": 45}""", "id");
        Add("POST", "/couriers", """{"\udc00": 1, "id": "c9", "max_capacity": 45}""", "$");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": "\ud83d"}""", "status");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [{"rule_id": "r1", "code": "REGION_ONLY", "params": {"allowed_regions": ["\udfff"]}}]}]""", "allowed_regions");
        Add("POST", "/assign", """{"driver_ids": ["\ud800"], "max_per_driver": 1}""", "driver_ids");
        // Every bad item of a batch is named, not only the first.
        Add("POST", "/drivers", """[{"id": "d8", "rules": [], "max_capacity": -1}, {"id": "d9", "rules": [{"rule_id": "r1", "code": "TELEPORT"}]}]""", "[1].rules[0].code");

        // Drivers (a JSON array, all or nothing)
        Add("POST", "/drivers", "{}", "$");
        Add("POST", "/drivers", "[]", "$");
        Add("POST", "/drivers", """[{"rules": []}]""", "[0].id");
        Add("POST", "/drivers", """[{"id": "d9", "rules": "none"}]""", "[0].rules");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [{"rule_id": "r1", "code": "TELEPORT", "params": {}}]}]""", "[0].rules[0].code");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [{"rule_id": "r1", "code": "MAX_WEIGHT", "params": {"limit_kg": -1}}]}]""", "[0].rules[0].params.limit_kg");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [{"rule_id": "r1", "code": "MAX_WEIGHT", "params": {"limit_kg": "10"}}]}]""", "[0].rules[0].params.limit_kg");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [{"code": "NO_PERISHABLE"}]}]""", "[0].rules[0].rule_id");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [], "max_capacity": -1}]""", "[0].max_capacity");
        Add("POST", "/drivers", """[{"id": "d9", "rules": [], "colour": "red"}]""", "[0].colour");
        Add("POST", "/drivers", """[{"id": "d9", "rules": []}, {"id": "d9", "rules": []}]""", "[1].id");
        Add("POST", "/drivers", """[{"id": "d9", "rules": []}, 7]""", "[1]");
        cases.Add(new("POST", "/drivers", """[{"id": "d9", "rules": []}, {"id": "d1", "rules": [], "max_capacity": 50}]""", 409, "errors"));
        Add("GET", "/drivers/a%20b", null, "id");
        cases.Add(new("GET", "/drivers/ghost", null, 404, "type"));

        // Packages
        Add("POST", "/packages", "[{}]", "[0].package_id");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"weight_kg\":5", "\"weight_kg\":-5") + "]", "[0].weight_kg");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"north\"", "\"up\"") + "]", "[0].region");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"hazmat_class\":null", "\"hazmat_class\":5") + "]", "[0].hazmat_class");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"delivery_hour\":10", "\"delivery_hour\":24") + "]", "[0].delivery_hour");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"volume_m3\":0.1", "\"volume_m3\":0") + "]", "[0].volume_m3");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"volume_m3\":0.1", "\"volume_m3\":0.0000001") + "]", "[0].volume_m3");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"is_fragile\":false", "\"is_fragile\":\"yes\"") + "]", "[0].is_fragile");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("\"distance_km\":10", "\"distance_km\":1e400") + "]", "[0].distance_km");
        Add("POST", "/packages", "[" + Pkg("x1").Replace("{", "{\"colour\":\"red\",") + "]", "[0].colour");
        Add("POST", "/packages", "[" + Pkg("x1") + "," + Pkg("x1") + "]", "[1].package_id");
        cases.Add(new("POST", "/packages", "[" + Pkg("x1") + "," + Pkg("p2").Replace("\"weight_kg\":5", "\"weight_kg\":6") + "]", 409, "errors"));
        Add("GET", "/packages?status=lost", null, "status");
        Add("GET", "/packages?status=Assigned", null, "status");
        Add("GET", "/packages?limit=0", null, "limit");

        // Bulk endpoints take 32 MiB, /assign 1 MiB; past that, 413 like the rest.
        cases.Add(new("POST", "/packages", $"[\"{new string('x', 33 * 1024 * 1024)}\"]", 413, "max_bytes"));
        cases.Add(new("POST", "/assign", $$"""{"driver_ids": ["d1"], "max_per_driver": 1, "pad": "{{new string('x', 1024 * 1024)}}"}""", 413, "max_bytes"));

        // Assign
        Add("POST", "/assign", "{}", "driver_ids");
        Add("POST", "/assign", """{"max_per_driver": 1}""", "driver_ids");
        Add("POST", "/assign", """{"driver_ids": "d1", "max_per_driver": 1}""", "driver_ids");
        Add("POST", "/assign", """{"driver_ids": [], "max_per_driver": 1}""", "driver_ids");
        Add("POST", "/assign", """{"driver_ids": [1], "max_per_driver": 1}""", "driver_ids[0]");
        Add("POST", "/assign", """{"driver_ids": ["d1", "d1"], "max_per_driver": 1}""", "driver_ids[1]");
        Add("POST", "/assign", """{"driver_ids": ["d 1"], "max_per_driver": 1}""", "driver_ids[0]");
        Add("POST", "/assign", """{"driver_ids": ["d1"]}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 0}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 1001}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 2.5}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": "2"}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 1e100}""", "max_per_driver");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 1, "explain": "yes"}""", "explain");
        Add("POST", "/assign?explain=maybe", """{"driver_ids": ["d1"], "max_per_driver": 1}""", "explain");
        Add("POST", "/assign", """{"driver_ids": ["d1"], "max_per_driver": 1, "region": "north"}""", "region");
        cases.Add(new("POST", "/assign", """{"driver_ids": ["d1", "ghost"], "max_per_driver": 5}""", 422, "unknown_driver_ids"));

        // Update
        Add("POST", "/update", """{"package_id": "p1", "status": "accepted"}""", "driver_id");
        Add("POST", "/update", """{"driver_id": "d1", "status": "accepted"}""", "package_id");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1"}""", "status");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": "lost"}""", "status");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": 3}""", "status");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": "DELIVERED"}""", "status");
        Add("POST", "/update", """{"driver_id": "d/1", "package_id": "p1", "status": "accepted"}""", "driver_id");
        Add("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": "accepted", "note": "x"}""", "note");
        cases.Add(new("POST", "/update", """{"driver_id": "d1", "package_id": "p2", "status": "accepted"}""", 404, "type"));
        cases.Add(new("POST", "/update", """{"driver_id": "d1", "package_id": "p1", "status": "delivered"}""", 409, "allowed"));

        var data = new TheoryData<Case>();
        foreach (var c in cases) data.Add(c);
        return data;

        void Add(string method, string path, string? body, string field) => cases.Add(new(method, path, body, 400, field));
    }

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""").Succeeds();
        await _client.Post("/drivers", """[{"id": "d1", "rules": [], "max_capacity": 500}]""").Succeeds();
        await _client.Post("/packages", "[" + Pkg("p1") + "]").Succeeds();
        await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 1}""").Succeeds();
        await _client.Post("/packages", "[" + Pkg("p2") + "]").Succeeds();
    }

    private static string Pkg(string id) => Assignments.DayBuilder.Package(id);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputIsRefusedWithAProblemNamingTheFieldAndChangesNothing(Case c)
    {
        var before = await Snapshot();

        var response = await _client.Send(new HttpMethod(c.Method), c.Path, c.Body);

        Assert.Equal(c.Status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Json();
        Assert.Equal(c.Status, problem.GetProperty("status").GetInt32());
        if (c.Status == 400)
            Assert.True(problem.GetProperty("errors").TryGetProperty(c.Field, out _), $"errors should name '{c.Field}': {problem}");
        else if (c.Status == 404)
            Assert.Equal("urn:problem:courier-capacity:not-found", problem.Str("type")); // not a routing 404
        else
            Assert.True(problem.TryGetProperty(c.Field, out _), $"problem should carry '{c.Field}': {problem}");
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task InvalidUtf8BytesInAStringAreRefusedNamingTheFieldAndChangeNothing()
    {
        var before = await Snapshot();
        // {"id": "c<0xFF><0xFE>", "max_capacity": 45}: bytes that are no UTF-8 at all inside a string.
        byte[] body = [.. "{\"id\": \"c"u8, 0xFF, 0xFE, .. "\", \"max_capacity\": 45}"u8];

        var response = await _client.PostAsync("/couriers", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await Snapshot());
    }

    /// <summary>Everything a client can read back: couriers, reservations, the driver and every package.</summary>
    private async Task<string> Snapshot()
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/couriers?limit=500", "/couriers/c1/reservations", "/packages?limit=500" })
            parts.Add(JsonSerializer.Serialize((await (await _client.GetAsync(path)).Json()).GetProperty("data")));
        parts.Add(await (await _client.GetAsync("/drivers/d1")).Content.ReadAsStringAsync());
        return string.Join("\n", parts);
    }
}
