using System.Net;
using Couriers.Storage.Tests;

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
}
