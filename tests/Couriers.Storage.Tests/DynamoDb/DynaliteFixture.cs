using System.ComponentModel;
using System.Diagnostics;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// Starts dynalite (emulators/dynalite.js) on a free loopback port for a collection of test
/// classes and stops it afterwards. A missing node or emulator fails the tests: they are never skipped.
/// </summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(30);
    private Process? _process;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var emulators = Path.Combine(RepoRoot(), "emulators");
        if (!File.Exists(Path.Combine(emulators, "node_modules", "dynalite", "package.json")))
            throw new InvalidOperationException($"dynalite is not installed in {emulators}: run `cd emulators && npm ci` (scripts/test.sh does).");
        var start = new ProcessStartInfo("node", "dynalite.js")
        {
            WorkingDirectory = emulators,
            RedirectStandardInput = true, // dynalite.js exits when its stdin closes, so it dies with us
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("node (Node.js 20+) is required to run the DynamoDB tests.", e);
        }
        using var timeout = new CancellationTokenSource(StartWithin);
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"dynalite did not report its port within {StartWithin}.");
        }
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal) || !int.TryParse(line["listening ".Length..], out var port))
        {
            var error = await _process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"dynalite did not start: '{line}' {error}");
        }
        Port = port;
    }

    public async Task DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The folder holding CourierCapacity.slnx, found from the test binaries upwards.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CourierCapacity.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No CourierCapacity.slnx above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One dynalite for every DynamoDB test class; each test still gets tables of its own.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}
