using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Couriers.Cli;
using Couriers.Core.Deliveries.Generation;
using Couriers.Testing;

namespace Couriers.Cli.Tests;

/// <summary><c>couriers load</c> against the real service on Kestrel with its own SQLite file.</summary>
public sealed class LoadCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private ServiceFactory _service = null!;

    public Task InitializeAsync()
    {
        _service = new ServiceFactory();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task LoadPostsTheReferenceDayAndTheServiceHoldsEveryDriverAndPackage()
    {
        var run = (await Cli.Run("load", "--url", _service.Url, "--seed", "11")).Succeeded();

        Assert.Contains("drivers: 99 created, 0 updated, 0 unchanged", run.Output);
        Assert.Contains("packages: 990 created, 0 updated, 0 unchanged", run.Output);
        var driver = await _service.Client.GetAsync("/drivers/driver_1");
        Assert.Equal(HttpStatusCode.OK, driver.StatusCode);
        Assert.Equal("driver_1", (await Json(driver)).GetProperty("id").GetString());

        var expected = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(11)).Packages.Select(p => p.PackageId).Order();
        Assert.Equal(expected, (await UnassignedPackageIds()).Order());
    }

    [Fact]
    public async Task LoadingTheSameDayTwiceReportsEverythingUnchanged()
    {
        (await Cli.Run("load", "--url", _service.Url, "--seed", "12")).Succeeded();

        var again = (await Cli.Run("load", "--url", _service.Url, "--seed", "12")).Succeeded();

        Assert.Contains("drivers: 0 created, 0 updated, 99 unchanged", again.Output);
        Assert.Contains("packages: 0 created, 0 updated, 990 unchanged", again.Output);
        Assert.Equal(990, (await UnassignedPackageIds()).Count);
    }

    [Fact]
    public async Task LoadFromGeneratedFilesLoadsTheSameDayAsGeneratingInPlace()
    {
        (await Cli.Run("generate", "--seed", "13", "--out", _folder.Path)).Succeeded();

        var fromFiles = (await Cli.Run("load", "--url", _service.Url, "--from", _folder.Path)).Succeeded();
        var inPlace = (await Cli.Run("load", "--url", _service.Url, "--seed", "13")).Succeeded();

        Assert.Contains("packages: 990 created", fromFiles.Output);
        Assert.Contains("drivers: 0 created, 0 updated, 99 unchanged", inPlace.Output);
        Assert.Contains("packages: 0 created, 0 updated, 990 unchanged", inPlace.Output);
    }

    [Fact]
    public async Task LoadSendsBatchesOfTheGivenSizeAndPrintsAPlainLinePerBatchWhenNotOnATerminal()
    {
        var run = (await Cli.Run("load", "--url", _service.Url, "--seed", "14", "--drivers", "30", "--packages", "250",
            "--batch-size", "100")).Succeeded();

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["drivers: 30/30 posted", "packages: 100/250 posted", "packages: 200/250 posted", "packages: 250/250 posted",
             "drivers: 30 created, 0 updated, 0 unchanged", "packages: 250 created, 0 updated, 0 unchanged"],
            lines);
        Assert.Equal(250, (await UnassignedPackageIds()).Count);
    }

    [Fact]
    public async Task LoadGivesDriversTheGeneratedCapacity()
    {
        (await Cli.Run("load", "--url", _service.Url, "--seed", "15", "--max-capacity-min", "200", "--max-capacity-max", "300")).Succeeded();

        var driver = await Json(await _service.Client.GetAsync("/drivers/driver_1"));
        Assert.InRange(driver.GetProperty("courier").GetProperty("max_capacity").GetDecimal(), 200m, 300m);
    }

    [Fact]
    public async Task ARefusedBatchExitsNonZeroWithTheServersProblemAndLeavesThatBatchUnapplied()
    {
        (await Cli.Run("generate", "--seed", "16", "--out", _folder.Path)).Succeeded();
        var packagesFile = _folder.File("packages.json");
        var packages = JsonNode.Parse(await File.ReadAllTextAsync(packagesFile))!.AsArray();
        packages[3]!["weight_kg"] = -1;
        await File.WriteAllTextAsync(packagesFile, packages.ToJsonString());

        var run = await Cli.Run("load", "--url", _service.Url, "--from", _folder.Path);

        Assert.Equal(CouriersCli.ServiceFailed, run.ExitCode);
        Assert.Contains("400", run.Error);
        Assert.Contains("The request is not valid.", run.Error);
        Assert.Contains("[3].weight_kg", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal(HttpStatusCode.OK, (await _service.Client.GetAsync("/drivers/driver_1")).StatusCode); // the drivers' batch went first
        Assert.Empty(await UnassignedPackageIds()); // a batch is all or nothing
    }

    /// <summary>Every unassigned package's id, paging through the list 500 at a time as a client would.</summary>
    private async Task<List<string>> UnassignedPackageIds()
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var path = "/packages?status=unassigned&limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await Json(await _service.Client.GetAsync(path));
            ids.AddRange(page.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("package_id").GetString()!));
            var next = page.GetProperty("meta").GetProperty("next_cursor");
            cursor = next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        return ids;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
