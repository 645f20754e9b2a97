namespace Couriers.Api.Health;

/// <summary>
/// <c>Couriers.Api --healthcheck [url]</c>: GETs /health/ready on this machine and exits 0 when it
/// answers 2xx, 1 otherwise. The container's HEALTHCHECK, because the runtime image has no curl.
/// Runs before the host is built, so it starts in milliseconds and never opens the store.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var target = args.Length > 1 ? new Uri(args[1]) : ReadyUrl(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(target);
            await output.WriteLineAsync($"{target} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{target} did not answer: {e.Message}");
            return 1;
        }
    }

    /// <summary>The first address Kestrel listens on, as seen from inside (+, * and 0.0.0.0 become loopback).</summary>
    public static Uri ReadyUrl(string? urls)
    {
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:3000";
        var local = first.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
            .Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
        return new Uri(new Uri(local.TrimEnd('/') + "/"), "health/ready");
    }
}
