using System.Net;
using System.Text.Json;
using Couriers.Storage.Tests;

namespace Couriers.Api.Tests.EndToEnd;

/// <summary>The Stuart documents' two curl commands, byte for byte, against the real server process.</summary>
public sealed class SeedCommandsTests
{
    [Fact]
    public async Task TheSeedsCurlCommandsCreateACourierAndFindIt()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"));

        // curl -X POST http://localhost:3000/couriers --data '<this body>' (curl's default form Content-Type)
        var created = await server.Client.Send(HttpMethod.Post, "/couriers", "\n{\n  \"id\": 1234,\n  \"max_capacity\": 45\n}");
        // curl -X GET http://localhost:3000/couriers/lookup --data '<this body>'
        var found = await server.Client.Send(HttpMethod.Get, "/couriers/lookup", "\n{\n  \"capacity_required\": 45\n}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1234", (await created.Json()).Str("id"));
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var courier = Assert.Single((await found.Json()).GetProperty("data").EnumerateArray());
        Assert.Equal("1234", courier.Str("id"));
        Assert.Equal(45m, courier.Decimal("available_capacity"));
    }
}

/// <summary>The interview Makefile's `make test` curl against a freshly started, pre-seeded service.</summary>
public sealed class InterviewCommandTests
{
    [Fact]
    public async Task TheInterviewsAssignCurlWorksRightAfterStartup()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"), new Dictionary<string, string> { ["Seed__Enabled"] = "true" });

        // curl -X POST http://localhost:8000/assign -H "Content-Type: application/json" -d '<this body>'
        var response = await server.Client.Send(HttpMethod.Post, "/assign", """{"driver_ids":["driver_1","driver_2"],"max_per_driver":2}""",
            contentType: "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var assignments = body.GetProperty("assignments");
        Assert.Equal(["driver_1", "driver_2"], assignments.EnumerateObject().Select(p => p.Name));
        Assert.All(assignments.EnumerateObject(), p => Assert.InRange(p.Value.GetArrayLength(), 0, 2));
        var assigned = assignments.EnumerateObject().Sum(p => p.Value.GetArrayLength());
        Assert.Equal(990 - assigned, body.GetProperty("unassigned_packages").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("unassigned_drivers").ValueKind);
    }
}
