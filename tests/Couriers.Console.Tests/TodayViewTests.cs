using System.Globalization;
using System.Text.Json;

namespace Couriers.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class TodayViewTests(ConsoleServer server, Browser browser)
{
    private static int Number(string? text) => int.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task AssignFromThePageShowsTheSameCountsAsTheApi()
    {
        browser.SignIn(server.Address, server.Keys["dispatcher"]);
        browser.Tab("today");
        var poolBefore = (await server.ReadAllAsync("/packages?status=unassigned")).Count;
        var drivers = await server.ReadAllAsync("/drivers");
        browser.Until(_ => browser.Find("#today-pool").GetAttribute("data-value") == poolBefore.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(drivers.Count, Number(browser.Find("#today-drivers").GetAttribute("data-value")));
        // Rules in plain words: a driver without rules takes anything, the others name their limits.
        Assert.Contains(browser.FindAll("#driver-table tbody td:nth-child(2)"), cell => cell.Text.Contains("kg", StringComparison.Ordinal)
            || cell.Text.Contains("only", StringComparison.Ordinal) || cell.Text.Contains("from", StringComparison.Ordinal));

        var perDriver = browser.Find("#max-per-driver");
        perDriver.Clear();
        perDriver.SendKeys("4");
        browser.Find("#assign-button").Click();
        browser.Until(_ => browser.Find("#assign-result").Displayed);
        browser.Until(_ => browser.Find("#today-pool").GetAttribute("data-value") != poolBefore.ToString(CultureInfo.InvariantCulture));

        var poolAfter = (await server.ReadAllAsync("/packages?status=unassigned")).Count;
        int Stat(string name) => Number(browser.Find($"#assign-stats dd[data-stat={name}]").GetAttribute("data-value"));
        Assert.Equal(poolBefore, Stat("pool_size"));
        Assert.Equal(poolBefore - poolAfter, Stat("assigned"));
        Assert.Equal(poolAfter, Stat("unassigned"));
        Assert.Equal(poolAfter, Number(browser.Find("#today-pool").GetAttribute("data-value")));
        Assert.True(Stat("assigned") > 0);
        Assert.Equal(Stat("upper_bound") - Stat("assigned"), Stat("gap"));
        // Every package left is in exactly one reason's row.
        var reasons = browser.FindAll("#unassigned-reasons tbody tr");
        Assert.Equal(poolAfter, reasons.Sum(r => Number(r.GetAttribute("data-count"))));

        // Each driver's packages bar is its active assignments, as the API reads them, against the 4 chosen.
        var activeByDriver = (await server.ReadAllAsync("/drivers")).ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("active_assignments").GetInt32());
        foreach (var row in browser.FindAll("#driver-table tbody tr"))
        {
            var meter = row.FindElement(OpenQA.Selenium.By.CssSelector("td:nth-child(3) svg.meter"));
            Assert.Equal(activeByDriver[row.GetAttribute("data-id")!], Number(meter.GetAttribute("data-value")));
            Assert.Equal("4", meter.GetAttribute("data-limit"));
        }
        browser.Screenshot("today-after-assign-1280");
    }

    [Theory]
    [InlineData("courier-sync")]
    [InlineData("driver")]
    public void AKeyWithoutTheDispatchRoleSeesNoAssignButtonNorLookup(string role)
    {
        browser.SignIn(server.Address, server.Keys[role]);
        Assert.False(browser.Find("#lookup-form").Displayed);
        Assert.True(browser.Find("#lookup-denied").Displayed);
        browser.Tab("today");
        browser.Until(_ => browser.FindAll("#driver-table tbody tr").Count > 0);

        Assert.Empty(browser.FindAll("#assign-button"));
        Assert.True(browser.Find("#assign-denied").Displayed);
        Assert.Equal(role == "driver", browser.FindAll("#update-form").Count == 1);
        browser.Screenshot($"today-as-{role}");
    }

    [Fact]
    public void ADispatcherKeySeesTheAssignButtonButCannotChangeStatuses()
    {
        browser.SignIn(server.Address, server.Keys["dispatcher"]);
        browser.Tab("today");
        Assert.True(browser.Find("#assign-button").Displayed);
        browser.Tab("deliveries");
        Assert.Empty(browser.FindAll("#update-form"));
        Assert.True(browser.Find("#update-denied").Displayed);
    }
}
