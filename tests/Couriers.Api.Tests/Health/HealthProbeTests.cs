using System.Diagnostics;
using Couriers.Api.Health;

namespace Couriers.Api.Tests.Health;

/// <summary>The container's HEALTHCHECK command, which must work without curl and without building a host.</summary>
public sealed class HealthProbeTests
{
    [Theory]
    [InlineData("http://+:3000;http://+:8000", "http://127.0.0.1:3000/health/ready")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/health/ready")]
    [InlineData("http://0.0.0.0:5000/", "http://127.0.0.1:5000/health/ready")]
    [InlineData("http://localhost:3000;http://localhost:8000", "http://localhost:3000/health/ready")]
    [InlineData(null, "http://localhost:3000/health/ready")]
    public void TheProbeAsksTheFirstListeningAddressFromInside(string? urls, string expected) =>
        Assert.Equal(expected, HealthProbe.ReadyUrl(urls).ToString());

    [Fact]
    public async Task TheProbeExitsZeroWhenReadyAndOneWhenNothingAnswers()
    {
        await using var api = new CourierApiFactory().OnKestrel();
        var ready = new Uri(api.ClientOptions.BaseAddress, "/health/ready").ToString();

        Assert.Equal(0, await RunProbe(ready));
        Assert.Equal(1, await RunProbe("http://127.0.0.1:9/health/ready")); // the discard port: nothing listens
    }

    /// <summary>The built service binary, as the Dockerfile's HEALTHCHECK runs it.</summary>
    private static async Task<int> RunProbe(string url)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Couriers.Api.dll"), HealthProbe.Argument, url }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(url, output);
        return process.ExitCode;
    }
}
