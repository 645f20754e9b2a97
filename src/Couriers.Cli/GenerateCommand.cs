using System.CommandLine;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Cli;

// couriers generate --seed N --out DIR: writes DIR/drivers.json and DIR/packages.json.
internal static class GenerateCommand
{
    public static Command Create()
    {
        var day = new DayOptions();
        day.Seed.Required = true;
        var output = new Option<string>("--out")
        {
            Description = "Folder to write drivers.json and packages.json into (created if missing; existing files are replaced).",
            HelpName = "dir",
            Required = true,
        };

        var command = new Command("generate", "Write a seeded day's drivers and packages as JSON files in the API's shapes.");
        day.AddTo(command);
        command.Options.Add(output);
        command.SetAction(async (parsed, ct) =>
        {
            var (stdout, stderr) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            if (await CouriersCli.ReportAsync(stderr, day.Problems(parsed))) return CouriersCli.InvalidInput;
            return await RunAsync(day.ToGeneratorOptions(parsed), parsed.GetRequiredValue(output), stdout, stderr, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(DayGeneratorOptions options, string folder, TextWriter output, TextWriter error,
        CancellationToken ct)
    {
        var generated = DayGenerator.Generate(options);
        var driversPath = Path.Combine(folder, DayJson.DriversFile);
        var packagesPath = Path.Combine(folder, DayJson.PackagesFile);
        try
        {
            Directory.CreateDirectory(folder);
            await DayJson.WriteAsync(driversPath, DayJson.Drivers(generated), ct);
            await DayJson.WriteAsync(packagesPath, DayJson.Packages(generated), ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot write to --out {folder}: {e.Message}");
            return CouriersCli.InvalidInput;
        }

        await output.WriteLineAsync(
            $"Seed {options.Seed}: wrote {generated.Drivers.Count} drivers to {driversPath} and {generated.Packages.Count} packages to {packagesPath}.");
        return 0;
    }
}
