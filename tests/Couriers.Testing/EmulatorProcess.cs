using System.ComponentModel;
using System.Diagnostics;

namespace Couriers.Testing;

/// <summary>
/// One emulator from emulators/ (a Node.js launcher that prints "listening PORT" once it accepts
/// connections and exits when its stdin closes). Started on a free loopback port; waiting is on that
/// line, not a sleep. A missing node or emulator fails the tests: they are never skipped.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(120); // a JVM on a busy 2-core machine
    private readonly Process _process;

    private EmulatorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <param name="launcher">The script in emulators/, e.g. "dynamodb-local.js".</param>
    /// <param name="package">The npm package it needs, to say what is missing.</param>
    public static async Task<EmulatorProcess> StartAsync(string launcher, string package)
    {
        var emulators = Path.Combine(RepoRoot(), "emulators");
        if (!File.Exists(Path.Combine(emulators, "node_modules", package, "package.json")))
            throw new InvalidOperationException($"{package} is not installed in {emulators}: run `cd emulators && npm ci` (scripts/test.sh does).");
        var start = new ProcessStartInfo("node", launcher)
        {
            WorkingDirectory = emulators,
            RedirectStandardInput = true, // the launcher exits when its stdin closes, so it dies with us
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"node (Node.js 20+) is required to run {package}.", e);
        }
        using var timeout = new CancellationTokenSource(StartWithin);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"{package} did not report its port within {StartWithin}.");
        }
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal) || !int.TryParse(line["listening ".Length..], out var port))
        {
            var error = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"{package} did not start: '{line}' {error}");
        }
        return new EmulatorProcess(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing its stdin lets the launcher stop what it started (a JVM) before it exits; killing is the fallback.
        if (!_process.HasExited) _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
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
