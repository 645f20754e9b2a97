using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Couriers.Api.Tests.Support;

/// <summary>
/// The service as a user runs it: its own process, Kestrel on a loopback port the OS picks, a
/// SQLite file the test names. Readiness is the "Now listening on" line, not a sleep.
/// It runs as Production with the test keys configured and <see cref="Client"/> sending the admin key;
/// <c>withKeys: false</c> runs a keyless Development instance (open mode), as `make run` does.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputLines _output;

    private ServerProcess(Process process, Uri address, OutputLines output, string? key)
    {
        _process = process;
        _output = output;
        Address = address;
        // Sends only the trace context a test names: while another test in this process listens to HttpClient's
        // activities, a default client starts one of its own and sends its traceparent, which the service may take instead.
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = address };
        if (key is not null) Client.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>What the process wrote to stdout and stderr so far, line by line.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Completes with the first output line (written so far or later) that matches: the console logger writes from a queue of its own.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        try
        {
            return await _output.FirstAsync(match).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no matching line within {timeout.TotalSeconds} s; the output:\n{Output}");
        }
    }

    /// <summary>The environment variables that configure the test keys (Auth__Keys__N__…).</summary>
    public static Dictionary<string, string> KeySettings() =>
        TestKeys.Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    public static async Task<ServerProcess> StartAsync(string databasePath, IDictionary<string, string>? environment = null, bool withKeys = true)
    {
        var process = Start(databasePath, environment, withKeys, out var listening, out var output);
        try
        {
            var address = await listening.WaitAsync(TimeSpan.FromSeconds(60));
            return new ServerProcess(process, address, output, withKeys ? TestKeys.Admin : null);
        }
        catch
        {
            // Never leave a half-started server behind (a timeout, or an early exit).
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts the process and waits for it to exit (a configuration it must refuse); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string databasePath, IDictionary<string, string>? environment = null,
        bool withKeys = true)
    {
        using var process = Start(databasePath, environment, withKeys, out _, out var output);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.WaitForExit(); // flushes the redirected output
        return (process.ExitCode, string.Join('\n', output));
    }

    private static Process Start(string databasePath, IDictionary<string, string>? environment, bool withKeys,
        out Task<Uri> listeningTask, out OutputLines output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Couriers.Api.dll"), "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = withKeys ? "Production" : "Development";
        start.Environment["Storage__Sqlite__Path"] = databasePath;
        if (!withKeys) start.Environment["Seed__Enabled"] = "false";
        if (withKeys) foreach (var (key, value) in KeySettings()) start.Environment[key] = value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = output = new OutputLines();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lines.Add(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // WaitForExitAsync also waits for the output to be read to its end, so the message is complete.
        _ = process.WaitForExitAsync().ContinueWith(_ => listening.TrySetException(new InvalidOperationException(
            "the service exited before listening:\n" + string.Join('\n', lines))), TaskScheduler.Default);
        listeningTask = listening.Task;
        return process;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, exactly what a crash does.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}

/// <summary>The process's output lines, awaitable: each line added wakes whoever waits for one.</summary>
internal sealed class OutputLines : System.Collections.Concurrent.ConcurrentQueue<string>
{
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(string line)
    {
        Enqueue(line);
        Interlocked.Exchange(ref _added, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public async Task<string> FirstAsync(Func<string, bool> match)
    {
        while (true)
        {
            // Read the signal before looking, so a line added meanwhile still wakes this loop.
            var added = Volatile.Read(ref _added);
            if (this.FirstOrDefault(match) is { } line) return line;
            await added.Task;
        }
    }
}
