using System.Net;
using Couriers.Api.Tests.Assignments;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

/// <summary>
/// The Dispatcher's question once couriers carry rules: who may take this package and has room for it?
/// Served by the capacity index on SQLite and by the store's own lookup on DynamoDB, with the same answers.
/// </summary>
public class LookupByPackageTests : IAsyncLifetime
{
    // A 0.02 m³ (20 L) package in the north, not fragile, 5 kg.
    private static readonly string Parcel = DayBuilder.Package("parcel", volumeM3: 0.02m);

    private readonly CourierApiFactory _api;
    private HttpClient _client = null!;

    public LookupByPackageTests() : this(new CourierApiFactory()) { }

    protected LookupByPackageTests(CourierApiFactory api) => _api = api;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        await _client.Post("/drivers", DayBuilder.Array([
            DayBuilder.Driver("north-25", DayBuilder.NorthOnly, 25m),
            DayBuilder.Driver("any-30", "[]", 30m),
            DayBuilder.Driver("fragile-21", DayBuilder.FragileOnly, 21m),
            DayBuilder.Driver("north-19", DayBuilder.NorthOnly, 19m),
            DayBuilder.Driver("light-40", """[{"rule_id": "r1", "code": "MAX_WEIGHT", "params": {"limit_kg": 2}}]""", 40m),
            DayBuilder.Driver("any-50", "[]", 50m),
        ])).Succeeds();
        await _client.Post("/couriers", """{"id": "plain-22", "max_capacity": 22}""").Succeeds();
        await _client.Post("/packages", "[" + Parcel + "]").Succeeds();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task APackageFindsOnlyCouriersWhoseRulesAcceptItAndWhoHaveRoomBestFitFirst()
    {
        var response = await _client.Post("/couriers/lookup", $$"""{"package": {{Parcel}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["plain-22", "north-25", "any-30", "any-50"], (await response.Json()).Ids());
    }

    [Fact]
    public async Task APooledPackageByIdGivesTheSameAnswerInTheBodyAndTheQueryString()
    {
        var body = await (await _client.Send(HttpMethod.Get, "/couriers/lookup", """{"package_id": "parcel"}""")).Json();
        var query = await (await _client.GetAsync("/couriers/lookup?package_id=parcel")).Json();

        Assert.Equal(["plain-22", "north-25", "any-30", "any-50"], body.Ids());
        Assert.Equal(body.Ids(), query.Ids());
    }

    [Fact]
    public async Task PagesFollowTheCursorWithoutRepeatingOrSkippingACourier()
    {
        var first = await (await _client.Post("/couriers/lookup", """{"package_id": "parcel", "limit": 3}""")).Json();
        var cursor = first.GetProperty("meta").Str("next_cursor");
        var second = await (await _client.Post("/couriers/lookup", $$"""{"package_id": "parcel", "limit": 3, "cursor": "{{cursor}}"}""")).Json();

        Assert.Equal(["plain-22", "north-25", "any-30"], first.Ids());
        Assert.Equal(["any-50"], second.Ids());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("meta").GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task RoomTakenByAReservationAndRulesChangedByAReloadShowInTheNextLookup()
    {
        await _client.Post("/couriers/plain-22/reservations", """{"reference": "other", "volume": 5}""").Succeeds();
        await _client.Post("/drivers", DayBuilder.Array([DayBuilder.Driver("any-30", DayBuilder.FragileOnly, 30m)])).Succeeds();

        var body = await (await _client.Post("/couriers/lookup", """{"package_id": "parcel"}""")).Json();

        Assert.Equal(["north-25", "any-50"], body.Ids());
    }

    [Fact]
    public async Task AnUnknownPackageIdIsA404AndTwoQuestionsAtOnceA400()
    {
        var unknown = await _client.Post("/couriers/lookup", """{"package_id": "ghost"}""");
        var both = await _client.Post("/couriers/lookup", """{"package_id": "parcel", "capacity_required": 5}""");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.True((await both.Json()).GetProperty("errors").TryGetProperty("capacity_required", out _));
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class LookupByPackageOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : LookupByPackageTests(CourierApiFactory.OnDynamoDb(dynamoDb));
