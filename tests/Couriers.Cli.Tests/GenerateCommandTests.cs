using System.Text.Json;
using Couriers.Testing;

namespace Couriers.Cli.Tests;

public sealed class GenerateCommandTests : IDisposable
{
    private static readonly string[] PackageFields =
    [
        "package_id", "weight_kg", "is_perishable", "is_express", "is_fragile", "region", "distance_km", "hazmat_class",
        "temperature_c", "delivery_hour", "volume_m3",
    ];

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GenerateWritesTheReferenceDayInTheApisShapesByDefault()
    {
        var run = (await Cli.Run("generate", "--seed", "42", "--out", _folder.Path)).Succeeded();

        var drivers = ReadArray("drivers.json");
        var packages = ReadArray("packages.json");
        Assert.Equal(99, drivers.Count);
        Assert.Equal(990, packages.Count);
        Assert.Equal(Enumerable.Range(1, 99).Select(i => $"driver_{i}"), drivers.Select(d => d.GetProperty("id").GetString()));
        Assert.All(drivers, driver =>
        {
            Assert.Equal(["id", "rules"], Names(driver));
            Assert.InRange(driver.GetProperty("rules").GetArrayLength(), 0, 2);
            Assert.All(driver.GetProperty("rules").EnumerateArray(), rule =>
            {
                Assert.Equal(["code", "params", "rule_id"], Names(rule));
                Assert.Equal(JsonValueKind.Object, rule.GetProperty("params").ValueKind);
            });
        });
        Assert.All(packages, package =>
        {
            Assert.Equal(PackageFields.Order(), Names(package));
            Assert.Contains(package.GetProperty("region").GetString(), (string[])["north", "east", "south", "west"]);
            Assert.True(Guid.TryParse(package.GetProperty("package_id").GetString(), out _));
            Assert.Contains(package.GetProperty("hazmat_class").ValueKind, (JsonValueKind[])[JsonValueKind.Number, JsonValueKind.Null]);
        });
        Assert.Contains("99 drivers", run.Output);
        Assert.Contains("990 packages", run.Output);
    }

    [Fact]
    public async Task GenerateHonoursCountsRuleRangeAndCapacityRange()
    {
        (await Cli.Run("generate", "--seed", "3", "--drivers", "7", "--packages", "13", "--min-rules", "3", "--max-rules", "3",
            "--max-capacity-min", "100", "--max-capacity-max", "250", "--out", _folder.Path)).Succeeded();

        var drivers = ReadArray("drivers.json");
        Assert.Equal(7, drivers.Count);
        Assert.Equal(13, ReadArray("packages.json").Count);
        Assert.All(drivers, driver =>
        {
            Assert.Equal(["id", "max_capacity", "rules"], Names(driver));
            Assert.InRange(driver.GetProperty("max_capacity").GetDecimal(), 100m, 250m);
            Assert.Equal(3, driver.GetProperty("rules").GetArrayLength());
        });
    }

    [Fact]
    public async Task GenerateCreatesTheOutputFolderAndAcceptsEmptyLists()
    {
        var nested = _folder.File("day", "one");

        (await Cli.Run("generate", "--seed", "1", "--drivers", "0", "--packages", "0", "--out", nested)).Succeeded();

        Assert.Empty(ReadArray(Path.Combine("day", "one", "drivers.json")));
        Assert.Empty(ReadArray(Path.Combine("day", "one", "packages.json")));
    }

    [Fact]
    public async Task TheSameSeedWritesByteIdenticalFiles()
    {
        var (first, second) = (_folder.File("first"), _folder.File("second"));

        (await Cli.Run("generate", "--seed", "7", "--out", first)).Succeeded();
        (await Cli.Run("generate", "--seed", "7", "--out", second)).Succeeded();

        foreach (var file in (string[])["drivers.json", "packages.json"])
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
    }

    [Fact]
    public async Task DifferentSeedsWriteDifferentDays()
    {
        var (first, second) = (_folder.File("first"), _folder.File("second"));

        (await Cli.Run("generate", "--seed", "7", "--out", first)).Succeeded();
        (await Cli.Run("generate", "--seed", "8", "--out", second)).Succeeded();

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "packages.json")), File.ReadAllBytes(Path.Combine(second, "packages.json")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "drivers.json")), File.ReadAllBytes(Path.Combine(second, "drivers.json")));
        var firstIds = ReadArray(Path.Combine("first", "packages.json")).Select(p => p.GetProperty("package_id").GetString());
        var secondIds = ReadArray(Path.Combine("second", "packages.json")).Select(p => p.GetProperty("package_id").GetString());
        Assert.Empty(firstIds.Intersect(secondIds));
    }

    private List<JsonElement> ReadArray(string file) =>
        JsonDocument.Parse(File.ReadAllText(_folder.File(file))).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();

    private static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order();
}
