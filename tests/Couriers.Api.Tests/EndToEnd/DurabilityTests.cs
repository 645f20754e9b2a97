using System.Net;
using Couriers.Testing;

namespace Couriers.Api.Tests.EndToEnd;

public sealed class DurabilityTests
{
    [Fact]
    public async Task AcknowledgedWritesSurviveKillDashNineAndARestart()
    {
        using var folder = new TempDirectory();
        var database = folder.File("couriers.db");
        var acknowledged = new List<(string Id, decimal Available)>();

        await using (var server = await ServerProcess.StartAsync(database))
        {
            for (var i = 0; i < 20; i++)
            {
                var id = $"courier-{i}";
                Assert.Equal(HttpStatusCode.Created, (await server.Client.Post("/couriers", $$"""{"id": "{{id}}", "max_capacity": 50}""")).StatusCode);
                var reserved = await server.Client.Post($"/couriers/{id}/reservations", $$"""{"reference": "pkg-{{i}}", "volume": {{i + 1}}}""");
                Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
                acknowledged.Add((id, 50m - (i + 1)));
            }
            server.Kill();
        }

        await using var restarted = await ServerProcess.StartAsync(database);
        foreach (var (id, available) in acknowledged)
        {
            var courier = await (await restarted.Client.GetAsync($"/couriers/{id}")).Json();
            Assert.Equal(available, courier.Decimal("available_capacity"));
        }
    }

    [Fact]
    public async Task KillDashNineDuringABurstOfGroupCommittedReservationsLosesNoAcknowledgedOne()
    {
        // 16 clients reserve as fast as they can, so the writer is committing one group after another when the kill
        // lands: a reservation answered 201 must be on disk, and the index rebuilt at restart must show it.
        const int Couriers = 8, Clients = 16;
        using var folder = new TempDirectory();
        var database = folder.File("burst.db");
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Courier, string Reference)>();
        var sent = 0;
        await using (var server = await ServerProcess.StartAsync(database))
        {
            for (var c = 0; c < Couriers; c++)
                await server.Client.Post("/couriers", $$"""{"id": "c{{c}}", "max_capacity": 1000}""").Succeeds();
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var killed = false;
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                // Each client sends its next reservation as soon as the last is answered, until the process is gone.
                while (true)
                {
                    var n = Interlocked.Increment(ref sent);
                    var (courier, reference) = ($"c{n % Couriers}", $"pkg-{n}");
                    try
                    {
                        var response = await server.Client.Post($"/couriers/{courier}/reservations", $$"""{"reference": "{{reference}}", "volume": 0.5}""");
                        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"{reference}: {response.StatusCode}");
                        acknowledged.Add((courier, reference));
                        if (acknowledged.Count >= 300) enough.TrySetResult();
                    }
                    catch (HttpRequestException) when (Volatile.Read(ref killed))
                    {
                        return;
                    }
                }
            })).ToList();
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Volatile.Write(ref killed, true);
            server.Kill();
            await Task.WhenAll(clients);
        }

        await using var restarted = await ServerProcess.StartAsync(database);
        var reserved = 0m;
        for (var c = 0; c < Couriers; c++)
        {
            var held = (await (await restarted.Client.GetAsync($"/couriers/c{c}/reservations")).Json()).GetProperty("data")
                .EnumerateArray().Select(r => r.Str("reference")).ToHashSet();
            foreach (var (courier, reference) in acknowledged.Where(a => a.Courier == $"c{c}"))
                Assert.True(held.Contains(reference), $"acknowledged {reference} on {courier} is gone after the kill");
            var state = await (await restarted.Client.GetAsync($"/couriers/c{c}")).Json();
            Assert.Equal(0.5m * held.Count, state.Decimal("reserved_capacity"));
            reserved += 0.5m * held.Count;
        }
        Assert.True(sent > acknowledged.Count, $"the kill cut some reservations off ({sent} sent, {acknowledged.Count} acknowledged)");
        var lookup = await (await restarted.Client.GetAsync("/couriers/lookup?capacity_required=0&limit=50")).Json();
        Assert.Equal(1000m * Couriers - reserved, lookup.GetProperty("data").EnumerateArray().Sum(c => c.Decimal("available_capacity")));
    }
}
