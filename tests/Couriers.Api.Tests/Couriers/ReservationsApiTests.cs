using System.Net;
using Couriers.Testing;

namespace Couriers.Api.Tests.Couriers;

public class ReservationsApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;

    public ReservationsApiTests() : this(new CourierApiFactory()) { }

    protected ReservationsApiTests(CourierApiFactory api) => _api = api;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _api.CreateClient();
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ReservingTakesRoomAndAnswersWithTheCouriersNewAvailability()
    {
        var response = await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("assigned", body.Str("status"));
        Assert.Equal(35m, body.GetProperty("courier").Decimal("available_capacity"));
    }

    [Fact]
    public async Task RepeatingTheSameReferenceAnswers200AndIsNotCountedTwice()
    {
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""");

        var again = await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(35m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("available_capacity"));
    }

    [Fact]
    public async Task AReservationThatDoesNotFitIsA409NamingTheRoomLeft()
    {
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 40}""");

        var response = await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-2", "volume": 6}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("urn:problem:courier-capacity:insufficient-capacity", problem.Str("type"));
        Assert.Equal(5m, problem.Decimal("available_capacity"));
    }

    [Fact]
    public async Task APackageOnOneCourierCannotBeReservedOnAnother()
    {
        await _client.Post("/couriers", """{"id": "c2", "max_capacity": 45}""");
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 1}""");

        var response = await _client.Post("/couriers/c2/reservations", """{"reference": "pkg-1", "volume": 1}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("c1", (await response.Json()).Str("courier_id"));
    }

    [Fact]
    public async Task ReservationsAreListedAndReleasingOneGivesItsRoomBack()
    {
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-1", "volume": 10}""");
        await _client.Post("/couriers/c1/reservations", """{"reference": "pkg-2", "volume": 5}""");

        var released = await _client.DeleteAsync("/couriers/c1/reservations/pkg-1");
        var list = await (await _client.GetAsync("/couriers/c1/reservations")).Json();

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(40m, (await released.Json()).Decimal("available_capacity"));
        Assert.Equal(["pkg-2"], list.GetProperty("data").EnumerateArray().Select(r => r.Str("reference")));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/couriers/c1/reservations/pkg-1")).StatusCode);
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class ReservationsApiOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : ReservationsApiTests(CourierApiFactory.OnDynamoDb(dynamoDb));
