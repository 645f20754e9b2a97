using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Couriers.Api.Tests.Assignments;
using Couriers.Storage.Tests;
using Couriers.Storage.Tests.DynamoDb;

namespace Couriers.Api.Tests.EndToEnd;

/// <summary>
/// kill -9 of the real service process while batch loads and /assign calls are in flight, then a restart
/// on the same store (and a reconcile of every driver, which DynamoDB's chained writes need and SQLite's
/// transactions do not): every acknowledged write is there, no package is on two drivers, no driver holds
/// more room or packages than it may, and package states agree. A batch cut off by the kill is all or
/// nothing on SQLite (one transaction); on DynamoDB it may be partly written (BatchWriteItem per 25, see
/// docs/dynamodb.md), and sending it again, as a client does with an unanswered request, completes it.
/// </summary>
public abstract class CrashTests : IDisposable
{
    protected readonly TempDirectory Folder = new();

    /// <summary>The store's settings for the process; <paramref name="restart"/> for the instance that recovers.</summary>
    protected abstract Dictionary<string, string> StoreSettings(bool restart);

    /// <summary>Whether reconcile may have to repair what the crash left (DynamoDB) or must find nothing (SQLite).</summary>
    protected abstract bool CrashMayLeaveHalfDoneWrites { get; }

    private string Database => Folder.File("crash.db");

    [Fact]
    public async Task KillDashNineDuringBatchLoadsLosesNoAcknowledgedBatchAndLeavesNoHalfBatch()
    {
        const int BatchSize = 500, Loaders = 3;
        var acknowledged = new ConcurrentBag<int>();
        var attempted = new ConcurrentBag<int>();
        int next = -1, inFlight = 0, acks = 0;
        // A batch can still be answered in the instant before the kill lands; then nothing was cut off, and the
        // load is killed again after a restart until one was (every round's batches stay in the audit).
        for (var round = 0; round < 5 && attempted.Count == acknowledged.Count; round++)
        {
            await using var server = await ServerProcess.StartAsync(Database, StoreSettings(restart: round > 0));
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            acks = 0;
            var loaders = Enumerable.Range(0, Loaders).Select(_ => Task.Run(async () =>
            {
                while (!killed.Task.IsCompleted)
                {
                    var batch = Interlocked.Increment(ref next);
                    attempted.Add(batch);
                    try
                    {
                        Interlocked.Increment(ref inFlight);
                        var response = await server.Client.Post("/packages", Batch(batch, BatchSize));
                        Interlocked.Decrement(ref inFlight);
                        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"batch {batch}: {response.StatusCode}");
                        acknowledged.Add(batch);
                        // The kill lands while another loader's batch is on its way.
                        if (Interlocked.Increment(ref acks) >= 4 && Volatile.Read(ref inFlight) > 0 && killed.TrySetResult()) server.Kill();
                    }
                    catch (HttpRequestException) when (killed.Task.IsCompleted)
                    {
                        Interlocked.Decrement(ref inFlight);
                        return;
                    }
                }
            })).ToList();
            await Task.WhenAll(loaders);
        }

        await using var restarted = await ServerProcess.StartAsync(Database, StoreSettings(restart: true));
        var stored = (await AllPackagesAsync(restarted.Client)).Select(p => p.Str("package_id")).ToHashSet();
        Assert.True(attempted.Count > acknowledged.Count, "some batch was cut off by a kill");
        foreach (var batch in attempted)
        {
            var present = Enumerable.Range(0, BatchSize).Count(i => stored.Contains(PackageId(batch, i)));
            if (acknowledged.Contains(batch)) Assert.Equal(BatchSize, present);
            else if (!CrashMayLeaveHalfDoneWrites) Assert.True(present is 0 or BatchSize, $"batch {batch} was cut off at the kill and is half there ({present} of {BatchSize})");
        }
        foreach (var batch in attempted.Except(acknowledged))
        {
            var retried = await restarted.Client.Post("/packages", Batch(batch, BatchSize));
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            var counts = await retried.Json();
            Assert.Equal(BatchSize, counts.GetProperty("created").GetInt32() + counts.GetProperty("unchanged").GetInt32());
        }
        stored = (await AllPackagesAsync(restarted.Client)).Select(p => p.Str("package_id")).ToHashSet();
        Assert.All(attempted, batch => Assert.All(Enumerable.Range(0, BatchSize), i => Assert.Contains(PackageId(batch, i), stored)));
        Assert.Equal(stored.Count, stored.Count(id => attempted.Any(b => id.StartsWith($"b{b:D3}-", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task KillDashNineDuringAssignLosesNoAcknowledgedAssignmentAndTheAuditIsCleanAfterRestart()
    {
        const int Drivers = 24, PerCall = 4, Cap = 25;
        var acknowledged = new ConcurrentDictionary<string, string>(); // package -> driver
        await using (var server = await ServerProcess.StartAsync(Database, StoreSettings(restart: false)))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.Post("/drivers",
                DayBuilder.Array(Enumerable.Range(0, Drivers).Select(d => DayBuilder.Driver($"d{d:D2}", maxCapacity: 400m))))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.Post("/packages",
                DayBuilder.Array(Enumerable.Range(0, Drivers * Cap).Select(p => DayBuilder.Package($"p{p:D4}", volumeM3: 0.013m))))).StatusCode);

            // Six /assign calls at once, each for its own four drivers; the kill follows the first answer.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var cutOff = 0;
            var calls = Enumerable.Range(0, Drivers / PerCall).Select(c => Task.Run(async () =>
            {
                var ids = string.Join(", ", Enumerable.Range(c * PerCall, PerCall).Select(d => $"\"d{d:D2}\""));
                try
                {
                    var response = await server.Client.Post("/assign", $$"""{"driver_ids": [{{ids}}], "max_per_driver": {{Cap}}}""");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    foreach (var (driver, packages) in (await response.Json()).Assignments())
                        foreach (var package in packages) acknowledged[package] = driver;
                    if (killed.TrySetResult()) server.Kill();
                }
                catch (HttpRequestException) when (killed.Task.IsCompleted) { Interlocked.Increment(ref cutOff); }
            })).ToList();
            await Task.WhenAll(calls);
            // The six calls queue behind each other's writes; the kill must have caught some in flight.
            Assert.True(cutOff > 0, "every /assign answered before the kill: nothing was cut off");
        }
        Assert.NotEmpty(acknowledged);

        await using var restarted = await ServerProcess.StartAsync(Database, StoreSettings(restart: true));
        var client = restarted.Client;
        var activeOn = new Dictionary<string, string>();
        for (var d = 0; d < Drivers; d++)
        {
            var id = $"d{d:D2}";
            var reconcile = await (await client.PostAsync($"/couriers/{id}/reconcile", null)).Json();
            if (!CrashMayLeaveHalfDoneWrites) Assert.False(reconcile.GetProperty("changed").GetBoolean(), $"reconcile changed {id} on a transactional store");
            Assert.Empty(reconcile.GetProperty("problems").EnumerateArray());
            Assert.False((await (await client.PostAsync($"/couriers/{id}/reconcile", null)).Json()).GetProperty("changed").GetBoolean(), $"{id} settled");

            var courier = await (await client.GetAsync($"/couriers/{id}")).Json();
            var active = (await (await client.GetAsync($"/couriers/{id}/reservations")).Json()).GetProperty("data").EnumerateArray().ToList();
            Assert.True(courier.Decimal("used_capacity") <= courier.Decimal("max_capacity"), $"{id} overbooked");
            Assert.Equal(active.Sum(r => r.Decimal("volume")), courier.Decimal("reserved_capacity"));
            Assert.InRange(active.Count, 0, Cap);
            foreach (var r in active) Assert.True(activeOn.TryAdd(r.Str("reference"), id), $"{r.Str("reference")} on two drivers");
        }
        foreach (var (package, driver) in acknowledged) Assert.Equal(driver, activeOn.GetValueOrDefault(package));
        foreach (var package in await AllPackagesAsync(client))
        {
            var id = package.Str("package_id");
            if (package.Str("status") == "assigned") Assert.Equal(package.Str("driver_id"), activeOn.GetValueOrDefault(id));
            else Assert.False(activeOn.ContainsKey(id), $"{id} is {package.Str("status")} but active on {activeOn.GetValueOrDefault(id)}");
        }
    }

    private static string PackageId(int batch, int i) => $"b{batch:D3}-p{i:D4}";

    private static string Batch(int batch, int size) => DayBuilder.Array(Enumerable.Range(0, size).Select(i => DayBuilder.Package(PackageId(batch, i))));

    private static async Task<List<JsonElement>> AllPackagesAsync(HttpClient client)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync("/packages?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).Json();
            all.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("meta").GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return all;
    }

    public void Dispose() => Folder.Dispose();
}

public sealed class CrashOnSqliteTests : CrashTests
{
    protected override Dictionary<string, string> StoreSettings(bool restart) => [];

    protected override bool CrashMayLeaveHalfDoneWrites => false;
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class CrashOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : CrashTests
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();

    protected override Dictionary<string, string> StoreSettings(bool restart) => new()
    {
        ["Storage__Provider"] = "DynamoDb",
        ["Storage__DynamoDb__Region"] = "us-east-1",
        ["Storage__DynamoDb__ServiceUrl"] = dynamoDb.ServiceUrl,
        ["Storage__DynamoDb__TablePrefix"] = _prefix,
        ["Storage__DynamoDb__CreateTables"] = "true",
        // The restarted instance is the only writer: a claim the killed one left is abandoned at once, not after 30 s.
        ["Storage__DynamoDb__ClaimTimeoutSeconds"] = restart ? "0" : "30",
    };

    protected override bool CrashMayLeaveHalfDoneWrites => true;
}
