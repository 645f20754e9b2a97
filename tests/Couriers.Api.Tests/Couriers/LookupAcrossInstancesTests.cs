using System.Net;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Couriers;

/// <summary>
/// Two instances of the service over HTTP on one DynamoDB Local. B's capacity index learns A's writes only by
/// polling the change index; here its polls fail and its clock is the test's, so what B knows and when its
/// bound passes are the test's to decide.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class LookupAcrossInstancesTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();
    private readonly FaultInjector _faultsOfB = new();
    private readonly ManualClock _clockOfB = new();
    private CourierApiFactory _a = null!, _b = null!;
    private HttpClient _clientA = null!, _clientB = null!;

    public async Task InitializeAsync()
    {
        _a = CourierApiFactory.OnDynamoDb(dynamoDb, _prefix).OnKestrel();
        _clientA = _a.CreateClient();
        await _clientA.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        // B starts after c1 exists: it finds it in the table when it builds its index.
        _b = CourierApiFactory.OnDynamoDb(dynamoDb, _prefix, _faultsOfB)
            .WithServices(services => services.AddSingleton<TimeProvider>(_clockOfB)).OnKestrel();
        _clientB = _b.CreateClient();
    }

    private async Task<List<(string Id, decimal Available)>> LookupAsync(HttpClient client, decimal required) =>
        [.. (await (await client.GetAsync($"/couriers/lookup?capacity_required={required}")).Json()).GetProperty("data").EnumerateArray()
            .Select(c => (c.Str("id"), c.Decimal("available_capacity")))];

    private async Task<string> ReadinessAsync(HttpClient client)
    {
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return await ready.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task AReservationOnRoomOnlyTheStaleViewShowedIsA409AndPastTheBoundBReadsTheTableAndSaysDegraded()
    {
        _faultsOfB.Inject(call => call.IsIndexPoll ? Fault.DropRequest : Fault.None);
        await _clientA.Post("/couriers/c1/reservations", """{"reference": "pkg-a", "volume": 40}""").Succeeds();

        // Within its bound B may still offer the room A took; reserving it checks the table and is refused cleanly.
        Assert.Equal([("c1", 45m)], await LookupAsync(_clientB, 20m));
        Assert.Equal("Healthy", await ReadinessAsync(_clientB));
        var refused = await _clientB.Post("/couriers/c1/reservations", """{"reference": "pkg-b", "volume": 20}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("urn:problem:courier-capacity:insufficient-capacity", (await refused.Json()).Str("type"));
        // The refusal read the courier: B no longer offers that room.
        Assert.Empty(await LookupAsync(_clientB, 20m));

        // A gives the room back; A's own lookups show it at once, B's once its bound has passed, from the table.
        await _clientA.Send(HttpMethod.Delete, "/couriers/c1/reservations/pkg-a").Succeeds();
        Assert.Equal([("c1", 45m)], await LookupAsync(_clientA, 20m));
        _clockOfB.Advance(_b.Services.GetRequiredService<CapacityIndexFeed>().Bound + TimeSpan.FromMilliseconds(1));
        Assert.Equal("Degraded", await ReadinessAsync(_clientB));
        Assert.Equal([("c1", 45m)], await LookupAsync(_clientB, 20m));
        Assert.Equal("Healthy", await ReadinessAsync(_clientA));

        _faultsOfB.Heal();
        Assert.True(await _b.Services.GetRequiredService<CapacityIndexFeed>().CatchUpAsync(CancellationToken.None));
        Assert.Equal("Healthy", await ReadinessAsync(_clientB));
        Assert.Equal([("c1", 45m)], await LookupAsync(_clientB, 20m));
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _faultsOfB.Dispose();
    }
}
