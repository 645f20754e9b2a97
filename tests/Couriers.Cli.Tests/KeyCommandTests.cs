using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Couriers.Cli;

namespace Couriers.Cli.Tests;

public sealed partial class KeyCommandTests
{
    [Fact]
    public async Task KeyCreatePrintsARandomKeyOnceAndTheConfigurationWithOnlyItsSha256()
    {
        var run = (await Cli.Run("key", "create", "--client", "stuart", "--role", "courier-sync")).Succeeded();
        var other = (await Cli.Run("key", "create", "--client", "stuart", "--role", "courier-sync")).Succeeded();

        var key = KeyLine().Match(run.Output).Groups[1].Value;
        Assert.True(key.Length >= 46, run.Output);
        Assert.NotEqual(key, KeyLine().Match(other.Output).Groups[1].Value);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        Assert.Contains($"Auth__Keys__0__Sha256={hash}", run.Output);
        Assert.Contains($"\"Sha256\":\"{hash}\"", run.Output);
        Assert.Contains("Auth__Keys__0__Client=stuart", run.Output);
        Assert.Contains("Auth__Keys__0__Roles__0=courier-sync", run.Output);
        Assert.Single(Regex.Matches(run.Output, Regex.Escape(key)));
    }

    [Fact]
    public async Task AKeyWithSeveralRolesAndADriverPrintsEachUnderTheGivenIndex()
    {
        var run = (await Cli.Run("key", "create", "--client", "van-7", "--role", "driver", "--role", "dispatcher", "--driver-id", "driver_7",
            "--index", "3")).Succeeded();

        Assert.Contains("Auth__Keys__3__Roles__0=driver", run.Output);
        Assert.Contains("Auth__Keys__3__Roles__1=dispatcher", run.Output);
        Assert.Contains("Auth__Keys__3__DriverId=driver_7", run.Output);
    }

    [Theory]
    [InlineData("--role", "key", "create", "--client", "x", "--role", "root")]
    [InlineData("--role", "key", "create", "--client", "x")]
    [InlineData("--client", "key", "create", "--role", "admin")]
    [InlineData("--driver-id", "key", "create", "--client", "x", "--role", "dispatcher", "--driver-id", "d1")]
    [InlineData("--driver-id", "key", "create", "--client", "x", "--role", "driver", "--driver-id", "d 1")]
    public async Task BadKeyArgumentsExitNonZeroNamingTheOptionAndPrintNoKey(string option, params string[] args)
    {
        var run = await Cli.Run(args);

        Assert.Equal(CouriersCli.InvalidInput, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.DoesNotContain("cc_", run.Output);
    }

    [Fact]
    public async Task AServiceConfiguredWithThePrintedEntryAcceptsTheKeyAndRefusesLoadsWithoutIt()
    {
        var run = (await Cli.Run("key", "create", "--client", "stuart", "--role", "courier-sync")).Succeeded();
        var key = KeyLine().Match(run.Output).Groups[1].Value;
        var settings = EnvLine().Matches(run.Output).ToDictionary(m => m.Groups[1].Value.Replace("__", ":"), m => (string?)m.Groups[2].Value);
        await using var service = new ServiceFactory(settings);

        var keyless = await Cli.Run("load", "--url", service.Url, "--seed", "3", "--drivers", "5", "--packages", "20");
        var keyed = await Cli.Run("load", "--url", service.Url, "--seed", "3", "--drivers", "5", "--packages", "20", "--api-key", key);

        Assert.Equal(CouriersCli.ServiceFailed, keyless.ExitCode);
        Assert.Contains("401", keyless.Error);
        keyed.Succeeded();
        Assert.Contains("packages: 20 created", keyed.Output);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/packages");
        request.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(request)).StatusCode);
    }

    [GeneratedRegex(@"^\s+(cc_[A-Za-z0-9_-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^\s+(Auth__Keys__\d+__\w+(?:__\d+)?)=(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();
}
