using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Couriers.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DeliveriesViewTests(ConsoleServer server, Browser browser)
{
    // Some assignments to work with, whichever test ran first: /assign never doubles a driver's packages.
    private async Task<(string Driver, string Package)> AnAssignedDeliveryAsync()
    {
        using var client = server.Client("dispatcher");
        (await client.PostAsJsonAsync("/assign", new { driver_ids = new[] { "driver_1", "driver_2", "driver_3", "driver_4" }, max_per_driver = 2 })).EnsureSuccessStatusCode();
        foreach (var driver in new[] { "driver_1", "driver_2", "driver_3", "driver_4" })
            if ((await server.ReadAllAsync($"/drivers/{driver}/assignments?status=assigned")).FirstOrDefault() is { ValueKind: JsonValueKind.Object } a)
                return (driver, a.GetProperty("package_id").GetString()!);
        throw new InvalidOperationException("no assignment in status assigned");
    }

    private void Choose(string select, string value)
    {
        browser.Until(_ => browser.FindAll($"#{select} option[value='{value}']").Count == 1);
        browser.Find($"#{select} option[value='{value}']").Click();
    }

    [Fact]
    public async Task StatusCountsAndProgressAreTheApisAndAnIllegalMoveShowsTheProblem()
    {
        var (driver, package) = await AnAssignedDeliveryAsync();
        browser.SignIn(server.Address, server.Keys["admin"]);
        browser.Tab("deliveries");
        browser.Until(_ => browser.FindAll("#status-chart g.status").Count == 6);

        // Counts per status: the pool, and every driver's assignments by status.
        var assignments = new List<JsonElement>();
        foreach (var d in await server.ReadAllAsync("/drivers"))
            assignments.AddRange(await server.ReadAllAsync($"/drivers/{d.GetProperty("id").GetString()}/assignments"));
        int Shown(string status) => int.Parse(browser.Find($"#status-chart g[data-status={status}]").GetAttribute("data-count")!, CultureInfo.InvariantCulture);
        Assert.Equal((await server.ReadAllAsync("/packages?status=unassigned")).Count, Shown("unassigned"));
        foreach (var status in new[] { "assigned", "accepted", "in_progress", "delivered", "failed_to_deliver" })
            Assert.Equal(assignments.Count(a => a.GetProperty("status").GetString() == status), Shown(status));
        Assert.Equal(assignments.Select(a => a.GetProperty("driver_id").GetString()).Distinct().Count(), browser.FindAll("#progress-table tbody tr[data-id]").Count);

        // assigned → delivered skips in_progress: the service refuses it, and the page says what the service said.
        Choose("update-driver", driver);
        Choose("update-package", package);
        Choose("update-status", "delivered");
        browser.Find("#update-form button[type=submit]").Click();
        var shown = browser.Until(_ => browser.Find("#update-problem") is { Displayed: true } p ? p.Text : null);

        using var client = server.Client("driver");
        var refused = await client.PostAsJsonAsync("/update", new { driver_id = driver, package_id = package, status = "delivered" });
        Assert.Equal(409, (int)refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("title").GetString()!, shown, StringComparison.Ordinal);
        Assert.Contains(problem.GetProperty("detail").GetString()!, shown, StringComparison.Ordinal);
        browser.Screenshot("deliveries-illegal-move");

        // A legal move goes through, and the page's progress follows.
        Choose("update-status", "accepted");
        browser.Find("#update-form button[type=submit]").Click();
        browser.Until(_ => browser.Find("#update-result").Displayed);
        var record = await (await client.GetAsync($"/packages/{package}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(driver, record.GetProperty("driver_id").GetString());
        var now = (await server.ReadAllAsync($"/drivers/{driver}/assignments")).Single(a => a.GetProperty("package_id").GetString() == package);
        Assert.Equal("accepted", now.GetProperty("status").GetString());
        browser.Until(_ => browser.Find($"#progress-table tr[data-id={driver}] rect[data-status=accepted]") is not null);
    }
}
