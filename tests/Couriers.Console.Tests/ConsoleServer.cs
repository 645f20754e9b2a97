using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Couriers.Testing;

namespace Couriers.Console.Tests;

/// <summary>
/// The service as an operator runs it: its own process (`dotnet Couriers.Api.dll`, Production, a fresh SQLite
/// file, Kestrel on a loopback port the OS picks), keys generated for this run, and a generated day loaded
/// by the `couriers load` command. Readiness is the "Now listening on" line, not a sleep.
/// </summary>
public sealed partial class ConsoleServer : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly List<string> _output = [];
    private Process? _process;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Keys { get; } = new[] { "admin", "dispatcher", "courier-sync", "driver" }
        .ToDictionary(role => role, role => $"cc_console-{role}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Couriers.Api.dll"), "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Sqlite__Path"] = _folder.File("couriers.db");
        var index = 0;
        foreach (var (role, key) in Keys)
        {
            start.Environment[$"Auth__Keys__{index}__Client"] = $"console-{role}";
            start.Environment[$"Auth__Keys__{index}__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            start.Environment[$"Auth__Keys__{index}__Roles__0"] = role;
            index++;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_output) _output.Add(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _ = _process.WaitForExitAsync().ContinueWith(_ => listening.TrySetException(new InvalidOperationException(
            "the service exited before listening:\n" + Output)), TaskScheduler.Default);
        Address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await LoadDayAsync();
    }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    // 30 drivers with 0–2 rules and 100–1,500 L of room, 300 packages: small enough for one page of each list.
    private async Task LoadDayAsync()
    {
        var load = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "couriers.dll"), "load", "--url", Address.ToString(), "--seed", "15",
                     "--drivers", "30", "--packages", "300", "--max-capacity-min", "100", "--max-capacity-max", "1500", "--api-key", Keys["admin"] })
            load.ArgumentList.Add(arg);
        using var process = Process.Start(load)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"couriers load failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    public HttpClient Client(string role = "admin")
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys[role]);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Every item of a paged list, as the API serves it.</summary>
    public async Task<List<JsonElement>> ReadAllAsync(string path)
    {
        using var client = Client();
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}{separator}limit=500" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            items.AddRange(page.GetProperty("data").EnumerateArray().Select(e => e.Clone()));
            cursor = page.GetProperty("meta").GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return items;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
        _process?.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleServer>, ICollectionFixture<Browser>
{
    public const string Name = "console";
}
