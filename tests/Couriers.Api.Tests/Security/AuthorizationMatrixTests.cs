using System.Net;
using Couriers.Api.Tests.Assignments;
using Couriers.Api.Tests.Support;
using Couriers.Testing;

namespace Couriers.Api.Tests.Security;

/// <summary>
/// Every endpoint × every caller (no key, a wrong key, each role's key): 401 without a valid key, 403 for a
/// role without the right, and anything but 401/403 for a role with it. Read rights: any valid key may read.
/// </summary>
public abstract class AuthorizationMatrix(ApiFixture fixture)
{
    public enum Caller { NoKey, WrongKey, Admin, CourierSync, Dispatcher, Driver, Fleet }

    private static readonly Caller[] Everyone = [Caller.Admin, Caller.CourierSync, Caller.Dispatcher, Caller.Driver, Caller.Fleet];

    public sealed record Endpoint(string Method, string Path, string? Body, Caller[] Allowed, bool Public = false)
    {
        public override string ToString() => $"{Method} {Path}" + (Body is null ? "" : $" {Body[..Math.Min(Body.Length, 48)]}");
    }

    public static readonly Endpoint[] Endpoints =
    [
        // Reads: any client with a valid key.
        new("GET", "/couriers", null, Everyone),
        new("GET", "/couriers/c1", null, Everyone),
        new("GET", "/couriers/c1/reservations", null, Everyone),
        new("GET", "/drivers/d1", null, Everyone),
        new("GET", "/packages?status=unassigned", null, Everyone),
        new("GET", "/drivers?has_room=true", null, Everyone),
        new("GET", "/drivers/d1/assignments", null, Everyone),
        new("GET", "/packages/m-p", null, Everyone),
        new("GET", "/me", null, Everyone), // the operations console asks it what to offer
        new("GET", "/nowhere", null, Everyone), // unknown paths need a key too: no probing without one
        // The Stuart API keeps couriers, drivers and packages.
        new("POST", "/couriers", """{"id": "m-new", "max_capacity": 5}""", [Caller.Admin, Caller.CourierSync]),
        new("PATCH", "/couriers/ghost", """{"max_capacity": 5}""", [Caller.Admin, Caller.CourierSync]),
        new("PUT", "/couriers/m-put", """{"max_capacity": 5}""", [Caller.Admin, Caller.CourierSync]),
        new("POST", "/couriers/batch", """[{"id": "m-b", "max_capacity": 5}]""", [Caller.Admin, Caller.CourierSync]),
        new("DELETE", "/couriers/ghost", null, [Caller.Admin, Caller.CourierSync]),
        new("POST", "/drivers", """[{"id": "m-d", "rules": []}]""", [Caller.Admin, Caller.CourierSync]),
        new("POST", "/packages", "[" + DayBuilder.Package("m-p") + "]", [Caller.Admin, Caller.CourierSync]),
        // The Dispatcher looks up, reserves, releases and assigns.
        new("GET", "/couriers/lookup?capacity_required=1", null, [Caller.Admin, Caller.Dispatcher]),
        new("GET", "/couriers/lookup", """{"capacity_required": 1}""", [Caller.Admin, Caller.Dispatcher]),
        new("POST", "/couriers/lookup", """{"capacity_required": 1}""", [Caller.Admin, Caller.Dispatcher]),
        new("POST", "/couriers/lookup", """{"package_id": "m-p"}""", [Caller.Admin, Caller.Dispatcher]),
        new("GET", "/couriers/lookup?package_id=m-p", null, [Caller.Admin, Caller.Dispatcher]),
        new("POST", "/couriers/ghost/reservations", """{"reference": "r1", "volume": 1}""", [Caller.Admin, Caller.Dispatcher]),
        new("DELETE", "/couriers/ghost/reservations/r1", null, [Caller.Admin, Caller.Dispatcher]),
        new("POST", "/assign", """{"driver_ids": ["ghost"], "max_per_driver": 1}""", [Caller.Admin, Caller.Dispatcher]),
        // Drivers report status: a key bound to d1 only for d1; an unbound driver key for anyone.
        new("POST", "/update", """{"driver_id": "d1", "package_id": "ghost", "status": "accepted"}""", [Caller.Admin, Caller.Driver, Caller.Fleet]),
        new("POST", "/update", """{"driver_id": "d2", "package_id": "ghost", "status": "accepted"}""", [Caller.Admin, Caller.Fleet]),
        // Open to all: probes and the API's description.
        new("GET", "/health/live", null, Everyone, Public: true),
        new("GET", "/health/ready", null, Everyone, Public: true),
        new("GET", "/openapi/v1.json", null, Everyone, Public: true),
        new("GET", "/docs/index.html", null, Everyone, Public: true),
        // The operations console's files hold no data; the page asks for a key and sends it with each call.
        new("GET", "/console/", null, Everyone, Public: true),
        new("GET", "/console/js/app.js", null, Everyone, Public: true),
    ];

    public static TheoryData<Endpoint, Caller> Cases()
    {
        var data = new TheoryData<Endpoint, Caller>();
        foreach (var endpoint in Endpoints)
            foreach (var caller in Enum.GetValues<Caller>()) data.Add(endpoint, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases), MemberType = typeof(AuthorizationMatrix))]
    public async Task EachCallerGetsExactlyTheRightsOfItsRole(Endpoint endpoint, Caller caller)
    {
        using var client = fixture.Api.ClientWith(KeyOf(caller));

        var response = await client.Send(new HttpMethod(endpoint.Method), endpoint.Path, endpoint.Body);

        var status = response.StatusCode;
        if (endpoint.Public || endpoint.Allowed.Contains(caller))
        {
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{caller} should pass: got {(int)status}");
            Assert.True((int)status < 500, $"{caller}: {(int)status} {await response.Content.ReadAsStringAsync()}");
            return;
        }
        Assert.Equal(caller is Caller.NoKey or Caller.WrongKey ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (await response.Json()).GetProperty("status").GetInt32());
    }

    private static string? KeyOf(Caller caller) => caller switch
    {
        Caller.NoKey => null,
        Caller.WrongKey => TestKeys.Wrong,
        Caller.Admin => TestKeys.Admin,
        Caller.CourierSync => TestKeys.CourierSync,
        Caller.Dispatcher => TestKeys.Dispatcher,
        Caller.Driver => TestKeys.Driver,
        _ => TestKeys.Fleet,
    };
}

public sealed class AuthorizationMatrixOnSqliteTests(SqliteApiFixture fixture) : AuthorizationMatrix(fixture), IClassFixture<SqliteApiFixture>;

public sealed class AuthorizationMatrixOnDynamoDbTests(DynamoApiFixture fixture) : AuthorizationMatrix(fixture), IClassFixture<DynamoApiFixture>;
