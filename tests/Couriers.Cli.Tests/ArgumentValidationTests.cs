using System.Net;
using System.Net.Sockets;
using Couriers.Cli;
using Couriers.Testing;

namespace Couriers.Cli.Tests;

public sealed class ArgumentValidationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--out", "generate", "--seed", "1")]
    [InlineData("--seed", "generate", "--out", "{out}")]
    [InlineData("--seed", "generate", "--seed", "many", "--out", "{out}")]
    [InlineData("--drivers", "generate", "--seed", "1", "--drivers", "-1", "--out", "{out}")]
    [InlineData("--drivers", "generate", "--seed", "1", "--drivers", "abc", "--out", "{out}")]
    [InlineData("--packages", "generate", "--seed", "1", "--packages", "-5", "--out", "{out}")]
    [InlineData("--min-rules", "generate", "--seed", "1", "--min-rules", "-1", "--out", "{out}")]
    [InlineData("--min-rules", "generate", "--seed", "1", "--min-rules", "2", "--max-rules", "1", "--out", "{out}")]
    [InlineData("--max-rules", "generate", "--seed", "1", "--max-rules", "11", "--out", "{out}")]
    [InlineData("--max-capacity-max", "generate", "--seed", "1", "--max-capacity-min", "10", "--out", "{out}")]
    [InlineData("--max-capacity-min", "generate", "--seed", "1", "--max-capacity-min", "50", "--max-capacity-max", "10", "--out", "{out}")]
    [InlineData("--max-capacity-min", "generate", "--seed", "1", "--max-capacity-min", "0", "--max-capacity-max", "10", "--out", "{out}")]
    [InlineData("--max-capacity-max", "generate", "--seed", "1", "--max-capacity-min", "1", "--max-capacity-max", "lots", "--out", "{out}")]
    [InlineData("--url", "load", "--seed", "1", "--url", "localhost:3000/not a url")]
    [InlineData("--url", "load", "--seed", "1", "--url", "ftp://localhost:3000")]
    [InlineData("--url", "load", "--seed", "1", "--url")]
    [InlineData("--batch-size", "load", "--seed", "1", "--batch-size", "0")]
    [InlineData("--batch-size", "load", "--seed", "1", "--batch-size", "50001")]
    [InlineData("--drivers", "load", "--seed", "1", "--drivers", "-3")]
    [InlineData("--seed", "load")]
    [InlineData("--drivers", "load", "--from", "{out}", "--drivers", "5")]
    [InlineData("--from", "load", "--from", "{out}/missing")]
    public async Task BadArgumentsExitNonZeroWithAMessageNamingTheOption(string option, params string[] args)
    {
        Directory.CreateDirectory(_folder.File("existing"));
        var outFolder = _folder.File("existing");
        var run = await Cli.Run(args.Select(a => a.Replace("{out}", outFolder)).ToArray());

        Assert.Equal(CouriersCli.InvalidInput, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outFolder)); // nothing was written
    }

    [Fact]
    public async Task LoadFromAFolderWithoutTheFilesSaysWhichFileIsMissing()
    {
        var run = await Cli.Run("load", "--from", _folder.Path);

        Assert.Equal(CouriersCli.InvalidInput, run.ExitCode);
        Assert.Contains("--from", run.Error);
        Assert.Contains("drivers.json", run.Error);
    }

    [Fact]
    public async Task LoadFromAFileThatIsNotAJsonArrayNamesTheFile()
    {
        await File.WriteAllTextAsync(_folder.File("drivers.json"), """{"id": "driver_1"}""");
        await File.WriteAllTextAsync(_folder.File("packages.json"), "[]");

        var run = await Cli.Run("load", "--from", _folder.Path);

        Assert.Equal(CouriersCli.InvalidInput, run.ExitCode);
        Assert.Contains("drivers.json must hold a JSON array", run.Error);
    }

    [Fact]
    public async Task LoadToAServiceThatIsNotThereExitsNonZeroNamingTheAddress()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await Cli.Run("load", "--seed", "1", "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(CouriersCli.ServiceFailed, run.ExitCode);
        Assert.Contains($"Cannot reach the service at http://127.0.0.1:{port}/", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task HelpListsBothCommandsAndSucceeds()
    {
        var run = (await Cli.Run("--help")).Succeeded();

        Assert.Contains("generate", run.Output);
        Assert.Contains("load", run.Output);
    }
}
