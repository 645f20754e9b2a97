using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;

namespace Couriers.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class CouriersViewTests(ConsoleServer server, Browser browser)
{
    private static decimal Value(IWebElement element) => decimal.Parse(element.GetAttribute("data-value")!, CultureInfo.InvariantCulture);

    private static decimal Sum(IEnumerable<JsonElement> couriers, string field) =>
        couriers.Where(c => c.GetProperty(field).ValueKind == JsonValueKind.Number).Sum(c => c.GetProperty(field).GetDecimal());

    [Fact]
    public async Task RoomChartAndTotalsShowTheFleetAsTheApiCountsIt()
    {
        // A driver loaded without max_capacity has no limit: counted apart from the histogram's room.
        using var sync = server.Client("courier-sync");
        (await sync.PostAsJsonAsync("/drivers", new[] { new { id = "no-limit-1", rules = Array.Empty<object>() } })).EnsureSuccessStatusCode();
        browser.SignIn(server.Address, server.Keys["admin"]);
        var couriers = await server.ReadAllAsync("/couriers");
        var unlimited = couriers.Count(c => c.GetProperty("max_capacity").ValueKind == JsonValueKind.Null);
        Assert.True(unlimited > 0);

        Assert.Equal(couriers.Count, Value(browser.Find("#total-couriers")));
        Assert.Equal(Sum(couriers, "max_capacity"), Value(browser.Find("#total-max")));
        Assert.Equal(Sum(couriers, "available_capacity"), Value(browser.Find("#total-available")));
        Assert.Equal(Sum(couriers, "used_capacity"), Value(browser.Find("#total-used")));
        // Each bar counts the couriers whose room falls in [from, to); together they are the fleet.
        var bars = browser.FindAll("#room-chart g.bar.limited");
        Assert.InRange(bars.Count, 2, 10);
        foreach (var bar in bars)
        {
            var from = decimal.Parse(bar.GetAttribute("data-from")!, CultureInfo.InvariantCulture);
            var to = decimal.Parse(bar.GetAttribute("data-to")!, CultureInfo.InvariantCulture);
            var expected = couriers.Count(c => c.GetProperty("available_capacity") is { ValueKind: JsonValueKind.Number } room
                && room.GetDecimal() >= from && room.GetDecimal() < to);
            Assert.Equal(expected, int.Parse(bar.GetAttribute("data-count")!, CultureInfo.InvariantCulture));
        }
        Assert.Equal(couriers.Count - unlimited, bars.Sum(b => int.Parse(b.GetAttribute("data-count")!, CultureInfo.InvariantCulture)));
        Assert.Equal(unlimited.ToString(CultureInfo.InvariantCulture), browser.Find("#room-chart g.bar.unlimited").GetAttribute("data-count"));
        Assert.Equal(unlimited, Value(browser.Find("#total-unlimited")));
        browser.Screenshot("couriers-1280");
    }

    [Theory]
    [InlineData("capacity")]
    [InlineData("package")]
    public async Task LookupHighlightsExactlyTheCouriersTheApiReturnsBestFitFirst(string by)
    {
        browser.SignIn(server.Address, server.Keys["dispatcher"]);
        // A question with answers whatever the tests before this one assigned.
        var (field, text, expected) = by == "capacity" ? await ACapacityFewCouriersHaveAsync() : await APackageSomeCourierTakesAsync();
        Assert.NotEmpty(expected);
        browser.Find(field).SendKeys(text);

        browser.Find("#lookup-form button[type=submit]").Click();
        browser.Until(_ => browser.Find("#lookup-summary").Text.Length > 0);
        browser.Screenshot($"lookup-by-{by}");

        // The highlighted rows, page after page: the lookup's couriers, in its order, and no other.
        var highlighted = new List<string>();
        while (true)
        {
            highlighted.AddRange(browser.FindAll("#courier-table tbody tr.match").Select(r => r.GetAttribute("data-id")!));
            var next = browser.Find("#courier-next");
            if (!next.Enabled) break;
            var first = browser.Find("#courier-table tbody tr").GetAttribute("data-id");
            next.Click();
            browser.Until(_ => browser.Find("#courier-table tbody tr").GetAttribute("data-id") != first);
        }
        Assert.Equal(expected, highlighted);
        Assert.StartsWith($"{expected.Count} courier", browser.Find("#lookup-summary").Text, StringComparison.Ordinal);
    }

    // The room of the fifth roomiest courier: five answers or more.
    private async Task<(string Field, string Text, List<string> Ids)> ACapacityFewCouriersHaveAsync()
    {
        var room = (await server.ReadAllAsync("/couriers")).Select(c => c.GetProperty("available_capacity"))
            .Where(r => r.ValueKind == JsonValueKind.Number).Select(r => r.GetDecimal()).OrderDescending().ElementAt(4);
        return ("#lookup-capacity", room.ToString(CultureInfo.InvariantCulture), await LookupAsync(new { capacity_required = room }));
    }

    // A roomy courier without rules joins the fleet, so at least one courier takes the package whatever was assigned.
    private async Task<(string Field, string Text, List<string> Ids)> APackageSomeCourierTakesAsync()
    {
        using var sync = server.Client("courier-sync");
        (await sync.PutAsJsonAsync($"/couriers/roomy-{Guid.NewGuid():N}"[..30], new { max_capacity = 5000 })).EnsureSuccessStatusCode();
        var package = (await server.ReadAllAsync("/packages")).First().GetProperty("package_id").GetString()!;
        return ("#lookup-package", package, await LookupAsync(new { package_id = package }));
    }

    private async Task<List<string>> LookupAsync(object question)
    {
        using var client = server.Client("dispatcher");
        var response = await client.PostAsJsonAsync("/couriers/lookup", question);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task TheRoomRefreshesByItselfWhileThePageIsOpen()
    {
        browser.SignIn(server.Address, server.Keys["admin"], "?refresh=2");
        var before = Value(browser.Find("#total-couriers"));

        using var client = server.Client("courier-sync");
        var created = await client.PostAsJsonAsync("/couriers", new { id = $"refresh-{Guid.NewGuid():N}"[..20], max_capacity = 42 });
        created.EnsureSuccessStatusCode();

        browser.Until(_ => Value(browser.Find("#total-couriers")) == before + 1);
        Assert.Equal((await server.ReadAllAsync("/couriers")).Count, Value(browser.Find("#total-couriers")));
    }
}
