using System.Net;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

/// <summary>The Stuart API's sync: PUT one courier as it is, or a whole batch at once.</summary>
public class CourierSyncTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;
    private HttpClient _client = null!;

    public CourierSyncTests() : this(new CourierApiFactory()) { }

    protected CourierSyncTests(CourierApiFactory api) => _api = api;

    public Task InitializeAsync()
    {
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task PutCreatesThenRepeatingItChangesNothingThenANewMaxReplacesIt()
    {
        var created = await _client.Send(HttpMethod.Put, "/couriers/1234", """{"max_capacity": 45}""");
        var again = await _client.Send(HttpMethod.Put, "/couriers/1234", """{"max_capacity": 45}""");
        var replaced = await _client.Send(HttpMethod.Put, "/couriers/1234", """{"max_capacity": 60}""", ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "\"1\""), (again.StatusCode, again.Headers.ETag?.Tag));
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (replaced.StatusCode, replaced.Headers.ETag?.Tag));
        Assert.Equal(60m, (await replaced.Json()).Decimal("available_capacity"));
    }

    [Fact]
    public async Task PutWithAStaleIfMatchOrOnAMissingCourierIs412AndChangesNothing()
    {
        await _client.Send(HttpMethod.Put, "/couriers/c1", """{"max_capacity": 45}""").Succeeds();
        await _client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 50}""").Succeeds();

        var stale = await _client.Send(HttpMethod.Put, "/couriers/c1", """{"max_capacity": 70}""", ifMatch: "\"1\"");
        var missing = await _client.Send(HttpMethod.Put, "/couriers/c2", """{"max_capacity": 70}""", ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("\"2\"", (await stale.Json()).Str("current_etag"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, missing.StatusCode);
        Assert.Equal(50m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("max_capacity"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/couriers/c2")).StatusCode);
    }

    [Fact]
    public async Task PutBelowTheLoadInUseIs409AndChangesNothing()
    {
        await _client.Send(HttpMethod.Put, "/couriers/c1", """{"max_capacity": 45}""").Succeeds();
        await _client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 40}""").Succeeds();

        var response = await _client.Send(HttpMethod.Put, "/couriers/c1", """{"max_capacity": 30}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("urn:problem:courier-capacity:capacity-conflict", (await response.Json()).Str("type"));
        Assert.Equal(45m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("max_capacity"));
    }

    [Fact]
    public async Task ABatchCreatesUpdatesAndLeavesUnchangedAndSendingItAgainChangesNothing()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 10}""").Succeeds();
        await _client.Post("/couriers", """{"id": "c2", "max_capacity": 20}""").Succeeds();
        const string Batch = """[{"id": "c1", "max_capacity": 15}, {"id": "c2", "max_capacity": 20}, {"id": 3, "max_capacity": 30}]""";

        var first = await (await _client.Post("/couriers/batch", Batch).Succeeds()).Json();
        var again = await (await _client.Post("/couriers/batch", Batch).Succeeds()).Json();

        Assert.Equal((1, 1, 1), (first.GetProperty("created").GetInt32(), first.GetProperty("updated").GetInt32(), first.GetProperty("unchanged").GetInt32()));
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(15m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("max_capacity"));
        Assert.Equal(30m, (await (await _client.GetAsync("/couriers/3")).Json()).Decimal("max_capacity"));
    }

    [Fact]
    public async Task ABatchWithAMaxBelowTheLoadInUseIsRefusedWholeNamingTheItem()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        await _client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 40}""").Succeeds();

        var response = await _client.Post("/couriers/batch", """[{"id": "new", "max_capacity": 5}, {"id": "c1", "max_capacity": 30}]""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("[1].max_capacity", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/couriers/new")).StatusCode);
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class CourierSyncOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : CourierSyncTests(CourierApiFactory.OnDynamoDb(dynamoDb));
