using System.Drawing;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Couriers.Console.Tests;

/// <summary>
/// Debian's chromium, headless, driven through chromium-driver. Both must be installed (scripts/test.sh installs
/// them): a missing browser fails the test, it never skips it. One browser serves the whole collection (starting
/// chromium costs seconds on a busy machine); each test opens the console afresh with an empty session.
/// Each test saves screenshots under screenshots/.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_BIN") ?? "/usr/bin/chromium";
    private static readonly string DriverPath = Environment.GetEnvironmentVariable("CHROMEDRIVER_BIN") ?? "/usr/bin/chromedriver";
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public Browser()
    {
        Assert.True(File.Exists(ChromiumPath), $"chromium is missing at {ChromiumPath}: install it (apt-get install chromium) or set CHROMIUM_BIN");
        Assert.True(File.Exists(DriverPath), $"chromium-driver is missing at {DriverPath}: install it (apt-get install chromium-driver) or set CHROMEDRIVER_BIN");
        // Selenium Manager would otherwise look for a driver on the network; ours is given.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
            "--window-size=1280,1000", "--lang=en-GB");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        // Every request the page makes, as chromium's network events: what leaves (or would leave) the page.
        options.SetLoggingPreference("performance", LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Opens the console in a fresh session (no key kept) and signs in with the key, as an operator types it.</summary>
    public Browser SignIn(Uri origin, string key, string query = "", int width = 1280)
    {
        Driver.Manage().Window.Size = new Size(width, 1000);
        Driver.Navigate().GoToUrl(new Uri(origin, "/console/"));
        Script("sessionStorage.clear();");
        Driver.Navigate().GoToUrl(new Uri(origin, "/console/" + query));
        var field = Until(d => d.FindElement(By.Id("api-key")) is { Displayed: true } f ? f : null);
        field.SendKeys(key);
        field.SendKeys(Keys.Enter);
        Until(d => d.FindElements(By.CssSelector("#courier-table tbody tr")).Count > 0);
        return this;
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public void Tab(string name)
    {
        Find($"#tab-{name}").Click();
        Until(_ => Find($"#{name}").Displayed);
    }

    /// <summary>Waits on a condition of the page (polling, never a fixed sleep).</summary>
    public T Until<T>(Func<IWebDriver, T?> condition, int seconds = 20)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition)!;
    }

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        // The whole page, not only the window: make the window as tall as the document first.
        var width = Driver.Manage().Window.Size.Width;
        var height = Convert.ToInt32(Script("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new Size(width, Math.Max(height + 120, 600));
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>The URLs of every request chromium sent for this page so far (from its performance log).</summary>
    public IReadOnlyList<string> RequestedUrls() => Driver.Manage().Logs.GetLog("performance")
        .Select(entry => JsonDocument.Parse(entry.Message).RootElement.GetProperty("message"))
        .Where(m => m.GetProperty("method").GetString() == "Network.requestWillBeSent")
        .Select(m => m.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!)
        .ToList();

    public IReadOnlyList<string> ConsoleMessages() => Driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level}: {e.Message}").ToList();

    public void Dispose() => Driver.Quit();
}
