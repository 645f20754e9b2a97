using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Couriers.Api.Tests.EndToEnd;
using Couriers.Api.Tests.Support;
using Couriers.Testing;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>The real process as deployed (Production, keys): its Prometheus scrape and its JSON console log.</summary>
public sealed class TelemetryEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheProcessServesMetricsThatPromtoolAccepts()
    {
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"), new Dictionary<string, string> { ["OpenTelemetry__Prometheus"] = "true" });
        await server.Client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        await server.Client.GetAsync("/couriers/lookup?capacity_required=10").Succeeds();
        await server.Client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 50}""");

        var text = await (await server.Client.GetAsync("/metrics").Succeeds()).Content.ReadAsStringAsync();
        var (exitCode, lint) = await PromtoolAsync(text);

        Assert.True(exitCode == 0, $"promtool check metrics failed:\n{lint}");
        Assert.Contains("couriers_lookups_total{otel_scope_name=\"Couriers\",kind=\"capacity\",source=\"index\"} 1", text);
        Assert.Contains("couriers_reservations_total{otel_scope_name=\"Couriers\",outcome=\"insufficient_room\",store=\"sqlite\"} 1", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("dotnet_gc_collections_total", text);
    }

    [Fact]
    public async Task EveryLogLineIsJsonWithTraceRequestAndClientAndNoKeyOrSecretIsEverWritten()
    {
        const string secret = "aws-secret-sentinel-4e1f0c77";
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(folder.File("couriers.db"), new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information", // what an operator turns on to see each request
            ["AWS_SECRET_ACCESS_KEY"] = secret,
        });
        using var bearer = new HttpClient { BaseAddress = server.Address };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.CourierSync);
        using var wrong = new HttpClient { BaseAddress = server.Address };
        wrong.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Wrong);

        await bearer.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/couriers/c1")).StatusCode);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var request = new HttpRequestMessage(HttpMethod.Get, "/couriers/nobody");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var problem = await (await server.Client.SendAsync(request)).Json();
        var executed = await server.LineAsync(l => l.Contains(traceId) && l.Contains("Executed endpoint"), Timeout);

        Assert.Equal(traceId, problem.Str("trace_id"));
        var scopes = Scopes(JsonDocument.Parse(executed).RootElement);
        Assert.Equal(traceId, scopes["TraceId"]);
        Assert.Equal("ops", scopes["Client"]);
        Assert.False(string.IsNullOrEmpty(scopes["RequestId"]));

        var lines = server.Output.Split('\n').Where(l => l.Length > 0).ToList();
        var endpointLines = 0;
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement; // every line is one JSON object
            if (entry.GetProperty("Category").GetString() != "Microsoft.AspNetCore.Routing.EndpointMiddleware") continue;
            var of = Scopes(entry);
            Assert.True(of.ContainsKey("TraceId") && of.ContainsKey("RequestId") && of.ContainsKey("Client"), line);
            endpointLines++;
        }
        Assert.True(endpointLines >= 4, $"{endpointLines} endpoint lines:\n{server.Output}");
        foreach (var forbidden in TestKeys.All.Select(k => k.Key).Append(TestKeys.Wrong).Append(secret))
            Assert.DoesNotContain(forbidden, server.Output);
    }

    private static Dictionary<string, string?> Scopes(JsonElement entry) => entry.GetProperty("Scopes").EnumerateArray()
        .SelectMany(s => s.ValueKind == JsonValueKind.Object ? s.EnumerateObject() : Enumerable.Empty<JsonProperty>())
        .Where(p => p.Name != "Message")
        .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => (string?)g.First().Value.ToString());

    /// <summary>Prometheus's own linter (Debian's prometheus package; scripts/test.sh installs it). Missing is a failure.</summary>
    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException("promtool is missing: install Debian's prometheus package (scripts/test.sh does).", missing);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(metrics);
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(Timeout);
            return (process.ExitCode, await output + await error);
        }
    }
}
