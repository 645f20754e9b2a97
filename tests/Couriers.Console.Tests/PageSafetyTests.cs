using OpenQA.Selenium;

namespace Couriers.Console.Tests;

/// <summary>What the page may load and where it may connect, and whether a keyboard and a tablet can use it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageSafetyTests(ConsoleServer server, Browser browser)
{
    [Fact]
    public async Task NoRequestLeavesTheServicesOriginAndThePolicyForbidsInlineCode()
    {
        browser.RequestedUrls(); // drains what earlier tests left in the log
        browser.ConsoleMessages();
        browser.SignIn(server.Address, server.Keys["admin"]);
        browser.Find("#lookup-capacity").SendKeys("10");
        browser.Find("#lookup-form button[type=submit]").Click();
        browser.Until(_ => browser.Find("#lookup-summary").Text.Length > 0);
        browser.Tab("today");
        browser.Until(_ => browser.FindAll("#driver-table tbody tr").Count > 0);
        browser.Tab("deliveries");
        browser.Until(_ => browser.FindAll("#status-chart g.status").Count == 6);

        var origin = server.Address.GetLeftPart(UriPartial.Authority);
        var requested = browser.RequestedUrls();
        Assert.Contains(requested, url => url.EndsWith("/console/js/charts.js", StringComparison.Ordinal));
        Assert.Contains(requested, url => url.Contains("/drivers/", StringComparison.Ordinal));
        Assert.All(requested, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        // What the page itself saw loading (the Resource Timing entries) agrees.
        var entries = (IReadOnlyCollection<object>)browser.Script("return performance.getEntries().map(e => e.name).filter(n => n.includes('://'));")!;
        Assert.All(entries.Cast<string>(), url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        // No error and no policy violation on the console: everything the page needs is allowed by its CSP. The one
        // expected error is the page asking who it is before it has a key (a 401 from /me, which shows the sign-in form).
        Assert.DoesNotContain(browser.ConsoleMessages(), m => (m.StartsWith("Severe", StringComparison.OrdinalIgnoreCase)
            && !m.Contains("/me - Failed to load resource: the server responded with a status of 401", StringComparison.Ordinal))
            || m.Contains("Content Security Policy", StringComparison.Ordinal));

        using var client = server.Client();
        foreach (var file in new[] { "/console/", "/console/js/app.js", "/console/console.css" })
        {
            using var response = await client.GetAsync(file);
            var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        }
        // The files themselves: no inline script or style to need an exception.
        var page = await client.GetStringAsync("/console/");
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(768)]
    public void EveryViewIsLabelledWorksByKeyboardAndFitsTheWidth(int width)
    {
        browser.SignIn(server.Address, server.Keys["admin"], width: width);

        // Tabs by keyboard: focus the tab list and move with the arrow keys.
        browser.Find("#tab-couriers").SendKeys(Keys.ArrowRight);
        browser.Until(_ => browser.Find("#today").Displayed);
        Assert.Equal("tab-today", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        browser.Until(_ => browser.FindAll("#driver-table tbody tr").Count > 0);
        FitsTheWindow();
        browser.Screenshot($"today-{width}");
        browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight);
        browser.Until(_ => browser.Find("#deliveries").Displayed);
        browser.Until(_ => browser.FindAll("#status-chart g.status").Count == 6);
        FitsTheWindow();
        browser.Screenshot($"deliveries-{width}");
        browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight);
        browser.Until(_ => browser.Find("#couriers").Displayed);
        FitsTheWindow();
        browser.Screenshot($"couriers-{width}");

        // Every control has a label (or its own text) a screen reader reads out.
        var unlabelled = browser.Script("""
            return [...document.querySelectorAll('input, select, button')]
              .filter(c => !(c.labels && c.labels.length) && !c.textContent.trim() && !c.getAttribute('aria-label'))
              .map(c => c.id || c.outerHTML);
            """);
        Assert.Empty((IReadOnlyCollection<object>)unlabelled!);
    }

    // Readable without scrolling sideways: only the wide tables scroll, inside their own box.
    private void FitsTheWindow() => Assert.True((bool)browser.Script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")!, "the page is wider than the window");
}
