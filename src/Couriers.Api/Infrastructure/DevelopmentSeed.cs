using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Api.Infrastructure;

public sealed class SeedOptions
{
    /// <summary>Load a generated day at startup (Development only, see appsettings.Development.json).</summary>
    public bool Enabled { get; set; }

    public int Seed { get; set; } = 1;
}

/// <summary>
/// Loads the reference day (driver_1…driver_99, 990 packages) before the server listens, so
/// the sample `/assign` curl works right after `make run`. Both loads are idempotent, so a restart on the
/// same file changes nothing.
/// </summary>
internal sealed class DevelopmentSeed(IDeliveryStore store, Microsoft.Extensions.Options.IOptions<SeedOptions> options, IHostEnvironment environment,
    ILogger<DevelopmentSeed> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        // Fake drivers and packages that /assign would hand out: never outside a developer's machine.
        if (!environment.IsDevelopment())
        {
            log.LogWarning("Seed:Enabled is ignored in the {Environment} environment; the seed loads only in Development", environment.EnvironmentName);
            return;
        }
        var day = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(options.Value.Seed));
        var drivers = await store.UpsertDriversAsync(day.Drivers.Select(d => new DriverRecord(d.Id, d.Rules, d.MaxCapacityLiters)).ToList(), ct);
        var packages = await store.AddPackagesAsync(day.Packages, ct);
        log.LogInformation("Development seed {Seed}: {Drivers} drivers ({DriversNew} new), {Packages} packages ({PackagesNew} new)",
            options.Value.Seed, day.Drivers.Count, drivers.Created, day.Packages.Count, packages.Created);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
