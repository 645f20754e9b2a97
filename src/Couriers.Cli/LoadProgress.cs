using Spectre.Console;

namespace Couriers.Cli;

// Shows how far a load has got: a Spectre progress bar on a terminal, plain lines otherwise (a pipe,
// a CI log, a test), because redrawn bars turn into noise wherever output is recorded.
internal abstract class LoadProgress
{
    public static LoadProgress For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new BarProgress()
            : new LineProgress(output);

    // Runs the work; it reports each posted batch through the callback as (stage, items in the batch).
    public abstract Task<T> RunAsync<T>(IReadOnlyList<(string Stage, int Total)> stages, Func<Action<string, int>, Task<T>> work);

    private sealed class BarProgress : LoadProgress
    {
        public override Task<T> RunAsync<T>(IReadOnlyList<(string Stage, int Total)> stages, Func<Action<string, int>, Task<T>> work) =>
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bars = new Dictionary<string, ProgressTask>();
                    foreach (var (stage, total) in stages)
                    {
                        // An empty list is complete at once; Spectre needs a non-zero maximum to draw it.
                        var bar = context.AddTask(Markup.Escape(stage), maxValue: Math.Max(total, 1));
                        if (total == 0) bar.Value = 1;
                        bars[stage] = bar;
                    }
                    return await work((stage, items) => bars[stage].Increment(items));
                });
    }

    private sealed class LineProgress(TextWriter output) : LoadProgress
    {
        public override Task<T> RunAsync<T>(IReadOnlyList<(string Stage, int Total)> stages, Func<Action<string, int>, Task<T>> work)
        {
            var totals = stages.ToDictionary(s => s.Stage, s => s.Total);
            var done = stages.ToDictionary(s => s.Stage, _ => 0);
            return work((stage, items) =>
            {
                done[stage] += items;
                output.WriteLine($"{stage}: {done[stage]}/{totals[stage]} posted");
            });
        }
    }
}
