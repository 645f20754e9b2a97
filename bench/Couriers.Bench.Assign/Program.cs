// End-to-end /assign benchmark: loads a generated day into a running service over HTTP, then times
// POST /assign for every driver. Usage: Couriers.Bench.Assign <base-url> <drivers> <packages> <max-per-driver> [volume]
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

var (url, drivers, packages, maxPerDriver) = (args[0], int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]));
var withVolume = args.Length > 4 && args[4] == "volume";
var day = DayGenerator.Generate(new DayGeneratorOptions
{
    Seed = 2026,
    DriverCount = drivers,
    PackageCount = packages,
    // Room for about half of a driver's 50 packages of ~1.55 m³ on average: volume binds.
    MaxCapacityLiters = withVolume ? (20_000m, 60_000m) : null,
});
var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
if (Environment.GetEnvironmentVariable("COURIERS_API_KEY") is { Length: > 0 } apiKey) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);

var load = Stopwatch.StartNew();
await Post("/drivers", day.Drivers.Select(d => new
{
    id = d.Id,
    rules = d.Rules.Select(r => new { rule_id = r.RuleId, code = r.Code, @params = r.Params }),
    max_capacity = d.MaxCapacityLiters,
}).ToList());
foreach (var chunk in day.Packages.Chunk(10_000))
    await Post("/packages", chunk.Select(p => new
    {
        package_id = p.PackageId, weight_kg = p.WeightKg, is_perishable = p.IsPerishable, is_express = p.IsExpress,
        is_fragile = p.IsFragile, region = p.Region.ToWireName(), distance_km = p.DistanceKm, hazmat_class = p.HazmatClass,
        temperature_c = p.TemperatureC, delivery_hour = p.DeliveryHour, volume_m3 = p.VolumeM3,
    }).ToList());
Console.WriteLine($"loaded {drivers} drivers and {packages} packages in {load.Elapsed.TotalSeconds:F1} s");

var assign = Stopwatch.StartNew();
using var response = await http.PostAsJsonAsync("/assign", new { driver_ids = day.Drivers.Select(d => d.Id), max_per_driver = maxPerDriver });
var body = await response.Content.ReadFromJsonAsync<JsonElement>();
assign.Stop();
if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"/assign answered {(int)response.StatusCode}: {body}");
var stats = body.GetProperty("stats");
Console.WriteLine($"| {drivers} × {packages}, max {maxPerDriver}, volume {(withVolume ? "binds" : "unlimited")} | " +
    $"{assign.Elapsed.TotalMilliseconds:F0} ms | {stats.GetProperty("elapsed_ms").GetDouble():F0} ms | {stats.GetProperty("assigned").GetInt32()} | " +
    $"{stats.GetProperty("upper_bound").GetInt32()} | {stats.GetProperty("gap").GetInt32()} |");

async Task Post<T>(string path, T payload)
{
    using var r = await http.PostAsJsonAsync(path, payload, json);
    if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
}
