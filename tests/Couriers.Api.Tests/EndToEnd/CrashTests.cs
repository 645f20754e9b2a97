using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Couriers.Api.Tests.Assignments;
using Couriers.Api.Tests.Support;
using Couriers.Testing;

namespace Couriers.Api.Tests.EndToEnd;

/// <summary>
/// kill -9 of the real service process while reservations and releases, batch loads and /assign calls are
/// in flight, then a restart on the same store and, with no repair step, an audit: every acknowledged write
/// is there, every courier's reserved room is exactly what its reservations add up to, no package is on two
/// couriers, no driver holds more room or packages than it may, and package states agree. A batch cut off by
/// the kill is all or nothing on SQLite (one transaction); on DynamoDB it may be partly written
/// (BatchWriteItem per 25, see docs/dynamodb.md), and sending it again, as a client does with an unanswered
/// request, completes it.
/// </summary>
public abstract class CrashTests : IDisposable
{
    protected readonly TempDirectory Folder = new();

    /// <summary>The store's settings for the process, the same for the one killed and the one restarted.</summary>
    protected abstract Dictionary<string, string> StoreSettings();

    /// <summary>Whether a batch cut off by the kill may be partly written (DynamoDB) or must be all or nothing (SQLite).</summary>
    protected abstract bool CrashMayLeaveHalfBatches { get; }

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
            await using var server = await ServerProcess.StartAsync(Database, StoreSettings());
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

        await using var restarted = await ServerProcess.StartAsync(Database, StoreSettings());
        var stored = (await AllPackagesAsync(restarted.Client)).Select(p => p.Str("package_id")).ToHashSet();
        Assert.True(attempted.Count > acknowledged.Count, "some batch was cut off by a kill");
        foreach (var batch in attempted)
        {
            var present = Enumerable.Range(0, BatchSize).Count(i => stored.Contains(PackageId(batch, i)));
            if (acknowledged.Contains(batch)) Assert.Equal(BatchSize, present);
            else if (!CrashMayLeaveHalfBatches) Assert.True(present is 0 or BatchSize, $"batch {batch} was cut off at the kill and is half there ({present} of {BatchSize})");
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

    // A JSON body that says when it has been written to the connection.
    private sealed class SignallingContent(string json, TaskCompletionSource sent) : HttpContent
    {
        private readonly byte[] _bytes = System.Text.Encoding.UTF8.GetBytes(json);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes);
            await stream.FlushAsync();
            sent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    [Fact]
    public async Task KillDashNineDuringAssignLosesNoAcknowledgedAssignmentAndTheAuditIsCleanAfterRestart()
    {
        const int Drivers = 24, PerCall = 4, Cap = 25;
        var acknowledged = new ConcurrentDictionary<string, string>(); // package -> driver
        await using (var server = await ServerProcess.StartAsync(Database, StoreSettings()))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.Post("/drivers",
                DayBuilder.Array(Enumerable.Range(0, Drivers).Select(d => DayBuilder.Driver($"d{d:D2}", maxCapacity: 400m))))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.Post("/packages",
                DayBuilder.Array(Enumerable.Range(0, Drivers * Cap).Select(p => DayBuilder.Package($"p{p:D4}", volumeM3: 0.013m))))).StatusCode);

            // Six clients at once, each calling /assign for its own four drivers with the cap one higher each time, so
            // every call writes and each client keeps calling until the process is gone. The first client answered
            // sends one more call and kills the process as soon as that call's body is on the wire: on SQLite the
            // calls of one round commit and answer within a millisecond, so "the next answer" would come too late.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var cutOff = 0;
            var calls = Enumerable.Range(0, Drivers / PerCall).Select(c => Task.Run(async () =>
            {
                var ids = string.Join(", ", Enumerable.Range(c * PerCall, PerCall).Select(d => $"\"d{d:D2}\""));
                var killing = false;
                for (var cap = 1; cap <= Cap && (killing || !killed.Task.IsCompleted); cap++)
                {
                    try
                    {
                        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        var call = server.Client.PostAsync("/assign", new SignallingContent($$"""{"driver_ids": [{{ids}}], "max_per_driver": {{cap}}}""", sent));
                        if (killing)
                        {
                            await Task.WhenAny(sent.Task, call);
                            server.Kill();
                        }
                        using var response = await call;
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/assign answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        foreach (var (driver, packages) in (await response.Json()).Assignments())
                            foreach (var package in packages) acknowledged[package] = driver;
                        killing = killing || killed.TrySetResult();
                    }
                    catch (HttpRequestException) when (killed.Task.IsCompleted)
                    {
                        Interlocked.Increment(ref cutOff);
                        return;
                    }
                }
            })).ToList();
            await Task.WhenAll(calls);
            Assert.True(cutOff > 0, "every /assign answered before the kill: nothing was cut off");
        }
        Assert.NotEmpty(acknowledged);

        await using var restarted = await ServerProcess.StartAsync(Database, StoreSettings());
        var client = restarted.Client;
        var activeOn = new Dictionary<string, string>();
        for (var d = 0; d < Drivers; d++)
        {
            var id = $"d{d:D2}";
            var active = await CapacityAudit.AssertExactAsync(client, id);
            Assert.InRange(active.Count, 0, Cap);
            Assert.Equal(active.Count, (await (await client.GetAsync($"/drivers/{id}")).Json()).GetProperty("active_assignments").GetInt32());
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

    [Fact]
    public async Task KillDashNineDuringReservationsAndReleasesLeavesEveryCouriersRoomExactWithoutRepair()
    {
        const int Couriers = 20, Clients = 8, Kills = 3;
        var held = new ConcurrentDictionary<string, string>();      // acknowledged and not released since: reference -> courier
        var uncertain = new ConcurrentDictionary<string, byte>();    // cut off by a kill: either outcome is right
        // Killed three times, each time with at least half the clients' writes on their way, and audited after each restart.
        for (var round = 0; round < Kills; round++)
        {
            await using var server = await ServerProcess.StartAsync(Database, StoreSettings());
            for (var c = 0; round == 0 && c < Couriers; c++)
                Assert.Equal(HttpStatusCode.Created, (await server.Client.Post("/couriers", $$"""{"id": "c{{c:D2}}", "max_capacity": 60}""")).StatusCode);
            if (round > 0) await AssertAllExactAsync(server.Client, Couriers, held, uncertain);
            // Clients keep writing until the process is gone, so the kill always cuts some of them off.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int acks = 0, inFlight = 0, killing = 0;
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                var random = new Random(round * Clients + client);
                var mine = held.Keys.Where(r => r.StartsWith($"w{client}-", StringComparison.Ordinal) && !uncertain.ContainsKey(r)).ToList();
                for (var n = 0; !killed.Task.IsCompleted; n++)
                {
                    var release = mine.Count > 0 && random.Next(3) == 0;
                    var reference = release ? mine[random.Next(mine.Count)] : $"w{client}-{round}-{n}";
                    var courier = release ? held[reference] : $"c{random.Next(Couriers):D2}";
                    try
                    {
                        Interlocked.Increment(ref inFlight);
                        var response = release
                            ? await server.Client.DeleteAsync($"/couriers/{courier}/reservations/{reference}")
                            : await server.Client.Post($"/couriers/{courier}/reservations", $$"""{"reference": "{{reference}}", "volume": {{random.Next(1, 9)}}.5}""");
                        Interlocked.Decrement(ref inFlight);
                        if (release && response.StatusCode == HttpStatusCode.OK) { held.TryRemove(reference, out _); mine.Remove(reference); }
                        else if (!release && response.StatusCode == HttpStatusCode.Created) { held[reference] = courier; mine.Add(reference); }
                        else if (response.StatusCode != HttpStatusCode.Conflict) throw new InvalidOperationException($"{reference}: {response.StatusCode}");
                        if (Interlocked.Increment(ref acks) >= 150 && Volatile.Read(ref inFlight) >= Clients / 2 && Interlocked.Exchange(ref killing, 1) == 0)
                        {
                            server.Kill();
                            killed.TrySetResult();
                        }
                    }
                    catch (HttpRequestException) when (Volatile.Read(ref killing) == 1)
                    {
                        uncertain[reference] = 0;
                        return;
                    }
                }
            })).ToList();
            await Task.WhenAll(clients);
        }
        Assert.NotEmpty(uncertain);

        await using var restarted = await ServerProcess.StartAsync(Database, StoreSettings());
        var activeOn = await AssertAllExactAsync(restarted.Client, Couriers, held, uncertain);
        // New reservations and releases on the same couriers keep them exact.
        for (var c = 0; c < Couriers; c++)
        {
            var id = $"c{c:D2}";
            var reserved = await restarted.Client.Post($"/couriers/{id}/reservations", """{"reference": "after-restart", "volume": 0.5}""");
            Assert.Contains(reserved.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
            if (activeOn.Keys.FirstOrDefault(r => activeOn[r] == id) is { } some)
                Assert.Equal(HttpStatusCode.OK, (await restarted.Client.DeleteAsync($"/couriers/{id}/reservations/{some}")).StatusCode);
            await CapacityAudit.AssertExactAsync(restarted.Client, id);
        }
    }

    /// <summary>
    /// Every courier exact; every acknowledged reservation not released since on its courier; nothing there that
    /// was never acknowledged but what a kill cut off. Returns where each reference is active.
    /// </summary>
    private static async Task<Dictionary<string, string>> AssertAllExactAsync(HttpClient client, int couriers,
        IReadOnlyDictionary<string, string> held, IReadOnlyDictionary<string, byte> uncertain)
    {
        var activeOn = new Dictionary<string, string>();
        for (var c = 0; c < couriers; c++)
            foreach (var r in await CapacityAudit.AssertExactAsync(client, $"c{c:D2}")) Assert.True(activeOn.TryAdd(r.Str("reference"), $"c{c:D2}"));
        foreach (var (reference, courier) in held.Where(h => !uncertain.ContainsKey(h.Key))) Assert.Equal(courier, activeOn.GetValueOrDefault(reference));
        Assert.All(activeOn.Keys, reference => Assert.True(held.ContainsKey(reference) || uncertain.ContainsKey(reference), $"{reference} was never acknowledged"));
        return activeOn;
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
    protected override Dictionary<string, string> StoreSettings() => [];

    protected override bool CrashMayLeaveHalfBatches => false;
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class CrashOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : CrashTests
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();

    protected override Dictionary<string, string> StoreSettings() => new()
    {
        ["Storage__Provider"] = "DynamoDb",
        ["Storage__DynamoDb__Region"] = "us-east-1",
        ["Storage__DynamoDb__ServiceUrl"] = dynamoDb.ServiceUrl,
        ["Storage__DynamoDb__TablePrefix"] = _prefix,
        ["Storage__DynamoDb__CreateTables"] = "true",
    };

    protected override bool CrashMayLeaveHalfBatches => true;
}
