using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Couriers.Api.Tests.Assignments;
using Couriers.Testing;
using Xunit.Abstractions;

namespace Couriers.Api.Tests.Resilience;

/// <summary>
/// A bounded soak on loopback: many concurrent clients mix lookups, reservations (their own references,
/// and shared ones they race for), releases, /assign and /update against TWO service instances on one
/// store. Afterwards a full audit: no overbooking, no package on two couriers, reserved room equal to the
/// active volumes, no driver over its cap, and every acknowledged write there.
/// COURIERS_SOAK_SECONDS sets the length (default 8 s per store); COURIERS_SOAK_REPORT names a file to
/// which the measured row is appended (docs/reliability.md).
/// </summary>
public abstract class Soak(ITestOutputHelper output) : IDisposable
{
    private const int Workers = 12, Couriers = 20, Drivers = 8, Packages = 400, SharedRefs = 40, MaxPerDriver = 10;

    protected readonly TempDirectory Folder = new();

    protected abstract string Store { get; }

    /// <summary>Two service instances on one store, on Kestrel, rate limiting off (the clients are few and busy).</summary>
    protected abstract CourierApiFactory[] TwoInstances();

    private sealed record Assignment(string Driver, string Package, int Owner)
    {
        public string Status { get; set; } = "assigned";
    }

    [Fact]
    public async Task TwoInstancesUnderConcurrentMixedLoadKeepEveryInvariantAndEveryAcknowledgedWrite()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("COURIERS_SOAK_SECONDS"), out var s) ? s : 8;
        var instances = TwoInstances();
        var admin = instances[0].CreateClient();
        var dispatchers = instances.Select(i => i.ClientWith(TestKeys.Dispatcher)).ToArray();
        var drivers = instances.Select(i => i.ClientWith(TestKeys.Fleet)).ToArray();

        for (var c = 0; c < Couriers; c++) Assert.Equal(HttpStatusCode.Created, (await admin.Post("/couriers", $$"""{"id": "s{{c}}", "max_capacity": 50}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Post("/drivers", DayBuilder.Array(Enumerable.Range(0, Drivers).Select(d => DayBuilder.Driver($"d{d}", maxCapacity: 200m))))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Post("/packages", DayBuilder.Array(Enumerable.Range(0, Packages).Select(p => DayBuilder.Package($"p{p:D4}", volumeM3: 0.005m))))).StatusCode);

        var counts = new ConcurrentDictionary<string, int>();
        var ownActive = new ConcurrentDictionary<string, string>();     // own reference -> courier, acknowledged and not released
        var sharedWins = new ConcurrentDictionary<string, string>();    // shared reference -> the courier whose reservation got 201
        var sharedDoubleWins = new ConcurrentBag<string>();
        var assignments = new ConcurrentBag<Assignment>();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(1000 + w);
            var mine = new List<(string Ref, string Courier)>();
            var myAssignments = new List<Assignment>();
            var serial = 0;
            while (clock.Elapsed < deadline)
            {
                var instance = random.Next(2);
                var roll = random.Next(100);
                HttpResponseMessage response;
                string op;
                if (roll < 30)
                {
                    op = "lookup";
                    response = await dispatchers[instance].GetAsync($"/couriers/lookup?capacity_required={random.Next(1, 40)}&limit=20");
                }
                else if (roll < 60)
                {
                    op = "reserve";
                    var reference = $"w{w}-{serial++}";
                    var courier = $"s{random.Next(Couriers)}";
                    response = await dispatchers[instance].Post($"/couriers/{courier}/reservations", $$"""{"reference": "{{reference}}", "volume": {{random.Next(1, 11)}}}""");
                    if (response.StatusCode == HttpStatusCode.Created) { mine.Add((reference, courier)); ownActive[reference] = courier; }
                }
                else if (roll < 70)
                {
                    op = "reserve-shared";
                    var reference = $"shared-{random.Next(SharedRefs)}";
                    var courier = $"s{random.Next(Couriers)}";
                    response = await dispatchers[instance].Post($"/couriers/{courier}/reservations", $$"""{"reference": "{{reference}}", "volume": 1}""");
                    if (response.StatusCode == HttpStatusCode.Created && !sharedWins.TryAdd(reference, courier)) sharedDoubleWins.Add(reference);
                }
                else if (roll < 85 && mine.Count > 0)
                {
                    op = "release";
                    var pick = random.Next(mine.Count);
                    var (reference, courier) = mine[pick];
                    response = await dispatchers[instance].DeleteAsync($"/couriers/{courier}/reservations/{reference}");
                    if (response.StatusCode == HttpStatusCode.OK) { mine.RemoveAt(pick); ownActive.TryRemove(reference, out _); }
                }
                else if (roll < 90 || myAssignments.Count == 0)
                {
                    op = "assign";
                    var a = random.Next(Drivers);
                    var b = (a + 1 + random.Next(Drivers - 1)) % Drivers;
                    response = await dispatchers[instance].Post("/assign", $$"""{"driver_ids": ["d{{a}}", "d{{b}}"], "max_per_driver": {{MaxPerDriver}}}""");
                    if (response.StatusCode == HttpStatusCode.OK)
                        foreach (var (driver, packages) in (await response.Json()).Assignments())
                            foreach (var package in packages)
                            {
                                var given = new Assignment(driver, package, w);
                                myAssignments.Add(given);
                                assignments.Add(given);
                            }
                }
                else
                {
                    op = "update";
                    var pick = myAssignments[random.Next(myAssignments.Count)];
                    var next = pick.Status switch { "assigned" => "accepted", "accepted" => "in_progress", _ => "delivered" };
                    response = await drivers[instance].Post("/update", $$"""{"driver_id": "{{pick.Driver}}", "package_id": "{{pick.Package}}", "status": "{{next}}"}""");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        pick.Status = next;
                        if (next == "delivered") myAssignments.Remove(pick);
                    }
                }
                counts.AddOrUpdate($"{op} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                response.Dispose();
            }
        })));
        var elapsed = clock.Elapsed;

        // The audit, read through the first instance.
        var total = counts.Values.Sum();
        var failures = counts.Where(c => c.Key.EndsWith(" 500") || c.Key.Split(' ')[1][0] == '5' || c.Key.EndsWith(" 429")).ToList();
        var report = $"| {Store} | 2 | {Workers} | {elapsed.TotalSeconds:F1} s | {total} | {total / elapsed.TotalSeconds:F0} req/s | " +
            string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")) + " |";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("COURIERS_SOAK_REPORT") is { Length: > 0 } file) await File.AppendAllTextAsync(file, report + "\n");
        Assert.Empty(failures);
        Assert.Empty(sharedDoubleWins);

        var activeOn = new Dictionary<string, string>();
        var ids = Enumerable.Range(0, Couriers).Select(c => $"s{c}").Concat(Enumerable.Range(0, Drivers).Select(d => $"d{d}"));
        foreach (var id in ids)
        {
            var active = await CapacityAudit.AssertExactAsync(admin, id);
            foreach (var r in active) Assert.True(activeOn.TryAdd(r.Str("reference"), id), $"{r.Str("reference")} is active on two couriers");
            if (id.StartsWith('d')) Assert.True(active.Count <= MaxPerDriver, $"{id} holds {active.Count} packages, over the cap");
        }
        // Every acknowledged reservation not released since is there, on its courier; nothing else of ours is.
        Assert.Equal(ownActive.OrderBy(p => p.Key), activeOn.Where(p => p.Key.StartsWith('w')).OrderBy(p => p.Key));
        foreach (var (reference, courier) in sharedWins) Assert.Equal(courier, activeOn.GetValueOrDefault(reference));
        // Every acknowledged assignment is there with its last acknowledged status.
        var delivered = (await (await admin.GetAsync("/packages?status=delivered&limit=500")).Json()).GetProperty("data").EnumerateArray()
            .ToDictionary(p => p.Str("package_id"), p => p.Str("driver_id"));
        Assert.Equal(assignments.Count, assignments.Select(a => a.Package).Distinct().Count());
        foreach (var a in assignments)
        {
            if (a.Status == "delivered") Assert.Equal(a.Driver, delivered.GetValueOrDefault(a.Package));
            else Assert.Equal(a.Driver, activeOn.GetValueOrDefault(a.Package));
        }
        foreach (var instance in instances) await instance.DisposeAsync();
    }

    public void Dispose() => Folder.Dispose();
}

public sealed class SoakOnSqliteTests(ITestOutputHelper output) : Soak(output)
{
    protected override string Store => "SQLite (one file)";

    protected override CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => new CourierApiFactory().With("Storage:Sqlite:Path", Folder.File("soak.db"))
            .With("Limits:RateLimit:PermitsPerSecond", "0").OnKestrel())];
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class SoakOnDynamoDbTests(DynamoDbLocalFixture dynamoDb, ITestOutputHelper output) : Soak(output)
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();

    protected override string Store => "DynamoDB (DynamoDB Local, one table prefix)";

    protected override CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => CourierApiFactory.OnDynamoDb(dynamoDb, _prefix).With("Limits:RateLimit:PermitsPerSecond", "0").OnKestrel())];
}
