using System.Net;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

public class CouriersApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;

    public CouriersApiTests() : this(new CourierApiFactory()) { }

    protected CouriersApiTests(CourierApiFactory api) => _api = api;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task CreatingACourierAnswers201WithTheCourierItsLocationAndETag()
    {
        var response = await _client.Post("/couriers", """{"id": 1234, "max_capacity": 45}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/couriers/1234", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var body = await response.Json();
        Assert.Equal("1234", body.Str("id"));
        Assert.Equal(45m, body.Decimal("max_capacity"));
        Assert.Equal(45m, body.Decimal("available_capacity"));
    }

    [Fact]
    public async Task PostingTheSameCourierAgainAnswers200AndChangesNothing()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var again = await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.Json()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task PostingAnExistingIdWithAnotherCapacityIsA409Problem()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var again = await _client.Post("/couriers", """{"id": "c1", "max_capacity": 50}""");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:problem:courier-capacity:duplicate-courier", (await again.Json()).Str("type"));
    }

    [Fact]
    public async Task ReadingACourierReturnsItWithItsVersionAsETag()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var response = await _client.GetAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(45m, (await response.Json()).Decimal("available_capacity"));
    }

    [Fact]
    public async Task ReadingWithACurrentIfNoneMatchAnswers304()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        var request = new HttpRequestMessage(HttpMethod.Get, "/couriers/c1");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task ListingPagesThroughCouriersInTheEnvelope()
    {
        for (var i = 0; i < 5; i++) await _client.Post("/couriers", $$"""{"id": "c{{i}}", "max_capacity": 10}""");

        var first = await (await _client.GetAsync("/couriers?limit=3")).Json();
        var cursor = first.GetProperty("meta").Str("next_cursor");
        var second = await (await _client.GetAsync($"/couriers?limit=3&cursor={cursor}")).Json();

        Assert.Equal(["c0", "c1", "c2"], first.Ids());
        Assert.Equal(3, first.GetProperty("meta").GetProperty("count").GetInt32());
        Assert.Equal(["c3", "c4"], second.Ids());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("meta").GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task PatchingMaxCapacityWithTheCurrentETagUpdatesIt()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var response = await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 60}""", ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(60m, (await response.Json()).Decimal("available_capacity"));
    }

    [Fact]
    public async Task PatchingWithAStaleETagAnswers412AndChangesNothing()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 50}""");

        var response = await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 60}""", ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("\"2\"", (await response.Json()).Str("current_etag"));
        Assert.Equal(50m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("max_capacity"));
    }

    [Fact]
    public async Task PatchingAvailableCapacityDeclaresUntrackedLoad()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var body = await (await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"available_capacity": 30.5}""")).Json();

        Assert.Equal(30.5m, body.Decimal("available_capacity"));
        Assert.Equal(14.5m, body.Decimal("declared_load"));
        Assert.Equal(14.5m, body.Decimal("used_capacity"));
    }

    [Fact]
    public async Task LoweringMaxCapacityBelowReservedRoomIsA409()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 40}""");

        var response = await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 30}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("max_capacity", (await response.Json()).Str("field"));
    }

    [Fact]
    public async Task DeletingACourierRemovesIt()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var response = await _client.DeleteAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/couriers/c1")).StatusCode);
    }

    [Fact]
    public async Task DeletingACourierWithReservationsNeedsForce()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 5}""");

        Assert.Equal(HttpStatusCode.Conflict, (await _client.DeleteAsync("/couriers/c1")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/couriers/c1?force=true")).StatusCode);
    }

    [Fact]
    public async Task DeletingWithAStaleETagAnswers412()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");

        var response = await _client.Send(HttpMethod.Delete, "/couriers/c1", ifMatch: "\"9\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/couriers/c1")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownRouteIsAProblemJson404()
    {
        var response = await _client.GetAsync("/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class CouriersApiOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : CouriersApiTests(CourierApiFactory.OnDynamoDb(dynamoDb));
