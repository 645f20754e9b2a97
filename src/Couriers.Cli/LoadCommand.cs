using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Cli;

// couriers load --url URL (--seed N | --from DIR): posts a day's drivers, then its packages, in
// batches. Loading is idempotent by id on the service, so a failed load can simply be run again.
internal static class LoadCommand
{
    // The service's default per-request limits (Limits:* in src/Couriers.Api/Infrastructure/LimitsOptions.cs).
    private const int MaxDriversPerRequest = 10_000;
    private const int MaxPackagesPerRequest = 50_000;

    // Where --api-key comes from when not given, so the key stays out of the shell history.
    public const string ApiKeyVariable = "COURIERS_API_KEY";

    public static Command Create()
    {
        var day = new DayOptions();
        var url = new Option<Uri>("--url")
        {
            Description = "Base address of the running service.",
            DefaultValueFactory = _ => new Uri("http://localhost:3000"),
            CustomParser = ParseUrl,
        };
        var from = new Option<string?>("--from")
        {
            Description = "Load drivers.json and packages.json from this folder (as written by generate) instead of generating.",
            HelpName = "dir",
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"The API key to send (a key with the courier-sync or admin role); defaults to ${ApiKeyVariable}. A development instance without keys needs none.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable),
        };
        var batchSize = OptionParsers.WholeNumber("--batch-size",
            $"Items per request (drivers are sent at most {MaxDriversPerRequest} at a time).", 5_000, min: 1, max: MaxPackagesPerRequest);

        var command = new Command("load", "Post a day's drivers and then its packages to a running service, in batches, and print the totals.");
        day.AddTo(command);
        command.Options.Add(url);
        command.Options.Add(from);
        command.Options.Add(batchSize);
        command.Options.Add(apiKey);
        command.SetAction(async (parsed, ct) =>
        {
            var (output, error) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            if (await CouriersCli.ReportAsync(error, SourceProblems(parsed, day, from).Concat(day.Problems(parsed)))) return CouriersCli.InvalidInput;
            var folder = parsed.GetValue(from);
            var lists = folder is null ? Generate(day.ToGeneratorOptions(parsed)) : await ReadAsync(folder, error, ct);
            if (lists is null) return CouriersCli.InvalidInput;

            using var client = new ServiceClient(parsed.GetRequiredValue(url), parsed.GetValue(apiKey));
            return await LoadAsync(client, lists, parsed.GetValue(batchSize), output, error, ct);
        });
        return command;
    }

    private static Uri? ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        result.AddError($"--url must be an absolute http:// or https:// address such as http://localhost:3000; got '{text}'.");
        return null;
    }

    // A day comes from exactly one place: the generator (--seed and its options) or a folder (--from).
    private static IEnumerable<string> SourceProblems(ParseResult parsed, DayOptions day, Option<string?> from)
    {
        if (parsed.GetValue(from) is not { } folder)
        {
            if (parsed.GetValue(day.Seed) is null)
                yield return "Give --seed N to generate a day, or --from DIR to load the files written by 'couriers generate'.";
            yield break;
        }

        foreach (var option in day.All.Where(o => DayOptions.IsGiven(parsed, o)))
            yield return $"{option.Name} cannot be used with --from: the files are loaded as they are.";
        if (!Directory.Exists(folder)) yield return $"--from {folder}: no such folder.";
    }

    private static DayLists Generate(DayGeneratorOptions options)
    {
        var day = DayGenerator.Generate(options);
        return new DayLists(DayJson.ToElements(DayJson.Drivers(day)), DayJson.ToElements(DayJson.Packages(day)));
    }

    private static async Task<DayLists?> ReadAsync(string folder, TextWriter error, CancellationToken ct)
    {
        try
        {
            return new DayLists(await DayJson.ReadArrayAsync(Path.Combine(folder, DayJson.DriversFile), ct),
                await DayJson.ReadArrayAsync(Path.Combine(folder, DayJson.PackagesFile), ct));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            await error.WriteLineAsync($"Cannot read --from {folder}: {e.Message}");
            return null;
        }
    }

    private static async Task<int> LoadAsync(ServiceClient client, DayLists lists, int batchSize, TextWriter output, TextWriter error,
        CancellationToken ct)
    {
        var stages = new (string Stage, string Path, IReadOnlyList<JsonElement> Items, int BatchSize)[]
        {
            ("drivers", "drivers", lists.Drivers, Math.Min(batchSize, MaxDriversPerRequest)),
            ("packages", "packages", lists.Packages, batchSize),
        };
        var totals = new Dictionary<string, BatchTotals>();
        try
        {
            var failure = await LoadProgress.For(output).RunAsync(stages.Select(s => (s.Stage, s.Items.Count)).ToList(), async advance =>
            {
                foreach (var (stage, path, items, size) in stages)
                {
                    totals[stage] = BatchTotals.None;
                    for (var start = 0; start < items.Count; start += size)
                    {
                        var batch = items.Skip(start).Take(size).ToList();
                        var answer = await client.PostBatchAsync(path, batch, ct);
                        if (answer.Totals is null)
                        {
                            return $"POST /{path} refused {stage} {start + 1}–{start + batch.Count} of {items.Count} " +
                                   $"(error keys like [i] count from the first item of this batch): {answer.Problem}\n" +
                                   "Earlier batches were applied; loading is idempotent, so fix the input and run load again.";
                        }
                        totals[stage] += answer.Totals;
                        advance(stage, batch.Count);
                    }
                }
                return null;
            });
            if (failure is not null)
            {
                await error.WriteLineAsync(failure);
                return CouriersCli.ServiceFailed;
            }
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"Cannot reach the service at {client.BaseAddress}: {e.Message}");
            return CouriersCli.ServiceFailed;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            await error.WriteLineAsync($"The service at {client.BaseAddress} did not answer in time.");
            return CouriersCli.ServiceFailed;
        }

        foreach (var (stage, batchTotals) in totals) await output.WriteLineAsync($"{stage}: {batchTotals}");
        return 0;
    }

    private sealed record DayLists(IReadOnlyList<JsonElement> Drivers, IReadOnlyList<JsonElement> Packages);
}
