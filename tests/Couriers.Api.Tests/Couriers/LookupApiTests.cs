using System.Net;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

public class LookupApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;

    public LookupApiTests() : this(new CourierApiFactory()) { }

    protected LookupApiTests(CourierApiFactory api) => _api = api;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        foreach (var (id, max) in new[] { ("big", 100m), ("exact", 45m), ("small", 44.999m), ("mid", 60m) })
            await _client.Post("/couriers", $$"""{"id": "{{id}}", "max_capacity": {{max}}}""").Succeeds();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task GetWithAJsonBodyAsCurlSendsItFindsCouriersWithEnoughRoomBestFitFirst()
    {
        var response = await _client.Send(HttpMethod.Get, "/couriers/lookup", """{"capacity_required": 45}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["exact", "mid", "big"], (await response.Json()).Ids());
    }

    [Fact]
    public async Task GetWithAQueryStringGivesTheSameAnswer()
    {
        var body = await (await _client.GetAsync("/couriers/lookup?capacity_required=45")).Json();
        Assert.Equal(["exact", "mid", "big"], body.Ids());
    }

    [Fact]
    public async Task PostGivesTheSameAnswerForClientsThatCannotSendABodyWithGet()
    {
        var body = await (await _client.Post("/couriers/lookup", """{"capacity_required": 45}""")).Json();
        Assert.Equal(["exact", "mid", "big"], body.Ids());
    }

    [Fact]
    public async Task NoCourierBigEnoughIsAnEmptyPageNotAnError()
    {
        var response = await _client.GetAsync("/couriers/lookup?capacity_required=1000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Empty(body.Ids());
        Assert.Equal(0, body.GetProperty("meta").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task LookupPagesWithTheCursorFromMeta()
    {
        var first = await (await _client.GetAsync("/couriers/lookup?capacity_required=1&limit=2")).Json();
        var cursor = first.GetProperty("meta").Str("next_cursor");
        var second = await (await _client.Post("/couriers/lookup", $$"""{"capacity_required": 1, "limit": 2, "cursor": "{{cursor}}"}""")).Json();

        Assert.Equal(["small", "exact"], first.Ids());
        Assert.Equal(["mid", "big"], second.Ids());
    }

    [Fact]
    public async Task ReservedRoomDisappearsFromTheLookupAndComesBackOnRelease()
    {
        await _client.Post("/couriers/exact/reservations", """{"reference": "pkg-1", "volume": 0.001}""");
        Assert.Equal(["mid", "big"], (await (await _client.GetAsync("/couriers/lookup?capacity_required=45")).Json()).Ids());

        await _client.DeleteAsync("/couriers/exact/reservations/pkg-1");
        Assert.Equal(["exact", "mid", "big"], (await (await _client.GetAsync("/couriers/lookup?capacity_required=45")).Json()).Ids());
    }

    [Fact]
    public async Task EachCourierInALookupIsByteForByteWhatReadingItAloneAnswers()
    {
        await _client.Post("/couriers/mid/reservations", """{"reference": "pkg-1", "volume": 0.5}""").Succeeds();
        await _client.Send(HttpMethod.Patch, "/couriers/big", """{"available_capacity": 99.25}""").Succeeds();

        var lookup = await (await _client.GetAsync("/couriers/lookup?capacity_required=0")).Json();

        foreach (var courier in lookup.GetProperty("data").EnumerateArray())
        {
            var alone = await (await _client.GetAsync($"/couriers/{courier.Str("id")}")).Content.ReadAsStringAsync();
            Assert.Equal(alone, courier.GetRawText());
        }
        var meta = lookup.GetProperty("meta");
        Assert.Equal(["count", "limit", "next_cursor", "as_of"], meta.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task FieldsKeepsOnlyTheNamedFieldsOfEachCourierInTheAPIsOrder()
    {
        var body = await (await _client.GetAsync("/couriers/lookup?capacity_required=45&fields=available_capacity,id")).Json();

        Assert.Equal(["exact", "mid", "big"], body.Ids());
        Assert.All(body.GetProperty("data").EnumerateArray(),
            c => Assert.Equal(["id", "available_capacity"], c.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(45m, body.GetProperty("data")[0].Decimal("available_capacity"));

        var inBody = await (await _client.Post("/couriers/lookup", """{"capacity_required": 45, "fields": "id"}""")).Json();
        Assert.Equal("""{"id":"exact"}""", inBody.GetProperty("data")[0].GetRawText());
    }

    [Fact]
    public async Task UnknownFieldNamesAreA400NamingThem()
    {
        var response = await _client.GetAsync("/couriers/lookup?capacity_required=45&fields=id,colour,weight");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("urn:problem:courier-capacity:validation", problem.Str("type"));
        var message = problem.GetProperty("errors").GetProperty("fields")[0].GetString();
        Assert.Contains("'colour', 'weight'", message);
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class LookupApiOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : LookupApiTests(CourierApiFactory.OnDynamoDb(dynamoDb));
