using System.Net;
using Couriers.Testing;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Assignments;

public class AssignApiTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api;

    public AssignApiTests() : this(new CourierApiFactory()) { }

    protected AssignApiTests(CourierApiFactory api) => _api = api;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task Load(string drivers, string packages)
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.Post("/drivers", drivers)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.Post("/packages", packages)).StatusCode);
    }

    [Fact]
    public async Task AssignAnswersTheDocumentedShapeAndADriverGivenNothingIsListedTwice()
    {
        await Load(Array([Driver("driver_1", NorthOnly), Driver("driver_3", FragileOnly)]),
            Array([Package("n1"), Package("n2"), Package("n3"), Package("s1", "south")]));

        var response = await _client.Post("/assign", """{"driver_ids": ["driver_1", "driver_3"], "max_per_driver": 2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var assignments = body.Assignments();
        Assert.Equal(["driver_1", "driver_3"], assignments.Keys);
        Assert.Equal(2, assignments["driver_1"].Count);
        Assert.All(assignments["driver_1"], id => Assert.StartsWith("n", id));
        Assert.Empty(assignments["driver_3"]);
        Assert.Equal(["driver_3"], body.Strings("unassigned_drivers"));
        Assert.Equal(2, body.Strings("unassigned_packages").Count);
        Assert.Contains("s1", body.Strings("unassigned_packages"));
        Assert.Equal(2, body.GetProperty("stats").GetProperty("upper_bound").GetInt32());
    }

    [Fact]
    public async Task AssigningAgainDoesNotTakeADriverPastMaxPerDriver()
    {
        await Load(Array([Driver("d1")]), Array(Enumerable.Range(0, 10).Select(i => Package($"p{i}"))));

        var first = await (await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 3}""")).Json();
        var second = await (await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 3}""")).Json();
        var third = await (await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 5}""")).Json();

        Assert.Equal(3, first.Assignments()["d1"].Count);
        Assert.Empty(second.Assignments()["d1"]);
        Assert.Equal(2, third.Assignments()["d1"].Count);
        Assert.Equal(5, (await (await _client.GetAsync("/drivers/d1")).Json()).GetProperty("active_assignments").GetInt32());
    }

    [Fact]
    public async Task ADriverWithMaxCapacityIsNeverGivenMoreThanItsRoomAndTheLookupShowsWhatIsLeft()
    {
        // 250 L of room; packages of 100 L: only two fit although max_per_driver allows five.
        await Load(Array([Driver("van", maxCapacity: 250m)]), Array(Enumerable.Range(0, 5).Select(i => Package($"p{i}", volumeM3: 0.1m))));

        var body = await (await _client.Post("/assign", """{"driver_ids": ["van"], "max_per_driver": 5}""")).Json();

        Assert.Equal(2, body.Assignments()["van"].Count);
        Assert.Equal("max_flow_under_room_caps", body.GetProperty("stats").GetProperty("bound_method").GetString());
        Assert.Equal("reached_bound", body.GetProperty("stats").GetProperty("search_stop").GetString());
        var van = await (await _client.GetAsync("/couriers/van")).Json();
        Assert.Equal(50m, van.Decimal("available_capacity"));
        Assert.Equal(["van"], (await (await _client.GetAsync("/couriers/lookup?capacity_required=50")).Json()).Ids());
        Assert.Empty((await (await _client.GetAsync("/couriers/lookup?capacity_required=50.001")).Json()).Ids());
    }

    [Fact]
    public async Task WhereRoomIsSharedTheLinearRelaxationProvesThePlanOptimal()
    {
        // Each van alone could take the two 100 L packages (so the capped flow allows four), but they
        // share them: one van takes both, the other one 250 L package, and the relaxation allows 3.6.
        await Load(
            Array([Driver("v1", maxCapacity: 300m), Driver("v2", maxCapacity: 300m)]),
            Array([Package("s1", volumeM3: 0.1m), Package("s2", volumeM3: 0.1m), Package("l1", volumeM3: 0.25m), Package("l2", volumeM3: 0.25m)]));

        var stats = (await (await _client.Post("/assign", """{"driver_ids": ["v1", "v2"], "max_per_driver": 5}""")).Json()).GetProperty("stats");

        Assert.Equal(3, stats.GetProperty("assigned").GetInt32());
        Assert.Equal(3, stats.GetProperty("upper_bound").GetInt32());
        Assert.Equal(0, stats.GetProperty("gap").GetInt32());
        Assert.Equal("linear_relaxation", stats.GetProperty("bound_method").GetString());
        Assert.Equal("reached_bound", stats.GetProperty("search_stop").GetString());
    }

    [Fact]
    public async Task UnknownDriverIdsAreRefusedWithTheirList()
    {
        await Load(Array([Driver("d1")]), Array([Package("p1")]));

        var response = await _client.Post("/assign", """{"driver_ids": ["d1", "ghost", "phantom"], "max_per_driver": 1}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["ghost", "phantom"], (await response.Json()).Strings("unknown_driver_ids"));
        Assert.Single((await (await _client.GetAsync("/packages?status=unassigned")).Json()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task TheSameDayAndRequestGiveTheSameAnswer()
    {
        var drivers = Array([Driver("a", NorthOnly), Driver("b"), Driver("c", FragileOnly)]);
        var packages = Array(Enumerable.Range(0, 30).Select(i => Package($"p{i:D2}", i % 3 == 0 ? "north" : "east", fragile: i % 4 == 0)));
        await using var other = new CourierApiFactory();
        var otherClient = other.CreateClient();
        await Load(drivers, packages);
        await otherClient.Post("/drivers", drivers);
        await otherClient.Post("/packages", packages);

        const string request = """{"driver_ids": ["a", "b", "c"], "max_per_driver": 4}""";
        var first = await (await _client.Post("/assign", request)).Json();
        var second = await (await otherClient.Post("/assign", request)).Json();

        Assert.Equal(first.GetProperty("assignments").ToString(), second.GetProperty("assignments").ToString());
        Assert.Equal(first.GetProperty("unassigned_packages").ToString(), second.GetProperty("unassigned_packages").ToString());
    }

    [Fact]
    public async Task ExplainSaysWhyEachPackageStayedUnassigned()
    {
        // "tiny" takes only fragile packages and has 50 L of room; "north" takes one northern package.
        await Load(Array([Driver("north", NorthOnly), Driver("tiny", FragileOnly, maxCapacity: 50m)]),
            Array([Package("n1"), Package("n2"), Package("big", "south", volumeM3: 0.5m, fragile: true)]));

        var body = await (await _client.Post("/assign?explain=true", """{"driver_ids": ["north", "tiny"], "max_per_driver": 1}""")).Json();

        var explanations = body.GetProperty("explanations");
        Assert.Equal("too_large_for_compatible_drivers", explanations.GetProperty("big").Str("reason"));
        var northern = Assert.Single(body.Strings("unassigned_packages"), id => id != "big");
        Assert.Equal("compatible_drivers_full", explanations.GetProperty(northern).Str("reason"));
    }

    [Fact]
    public async Task ExplanationsCountTheDriversEachRuleEliminated()
    {
        await Load(Array([Driver("n1", NorthOnly), Driver("n2", NorthOnly)]), Array([Package("s1", "south")]));

        var body = await (await _client.Post("/assign", """{"driver_ids": ["n1", "n2"], "max_per_driver": 1, "explain": true}""")).Json();

        var why = body.GetProperty("explanations").GetProperty("s1");
        Assert.Equal("no_driver_accepts", why.Str("reason"));
        Assert.Equal(2, why.GetProperty("eliminated_by").GetProperty("REGION_ONLY").GetInt32());
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class AssignApiOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : AssignApiTests(CourierApiFactory.OnDynamoDb(dynamoDb));
