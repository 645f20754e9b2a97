namespace Couriers.Core.Deliveries.Generation;

public sealed record GeneratedDriver(string Id, IReadOnlyList<RuleSpec> Rules, decimal? MaxCapacityLiters);

public sealed record GeneratedDay(IReadOnlyList<GeneratedDriver> Drivers, IReadOnlyList<Package> Packages)
{
    /// <summary>Parses the generated rules through <see cref="RuleRegistry"/>, exactly as ingest would.</summary>
    public IReadOnlyList<Driver> ParseDrivers() =>
        Drivers.Select(d =>
        {
            var parsed = RuleRegistry.ParseAll(d.Rules);
            if (!parsed.IsValid)
            {
                throw new InvalidOperationException(
                    $"generated driver {d.Id} has invalid rules: {string.Join("; ", parsed.Errors)}");
            }

            return new Driver(d.Id, parsed.Rules, d.MaxCapacityLiters);
        }).ToList();
}
