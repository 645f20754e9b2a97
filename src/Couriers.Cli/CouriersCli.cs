using System.CommandLine;
using System.CommandLine.Invocation;

namespace Couriers.Cli;

/// <summary>The <c>couriers</c> command line: <c>generate</c> a day's lists, <c>load</c> them into a running service.</summary>
public static class CouriersCli
{
    /// <summary>Bad arguments or unreadable input files (System.CommandLine's own code for parse errors).</summary>
    public const int InvalidInput = 1;

    /// <summary>The service refused a batch or could not be reached.</summary>
    public const int ServiceFailed = 2;

    /// <summary>Parses and runs one command line; output and error default to the console.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null,
        CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Generate a day's drivers and packages like the logistics centre's generator, load them into the Courier Capacity Service, and create its API keys.")
        {
            GenerateCommand.Create(),
            LoadCommand.Create(),
            KeyCommand.Create(),
        };
        var parsed = root.Parse(args);
        // A usage mistake gets the message naming the option, not pages of help; --help is one flag away.
        if (parsed.Action is ParseErrorAction onError) onError.ShowHelp = false;
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error },
            cancellationToken);
    }

    /// <summary>Writes each problem with the argument that causes it; true when there was any.</summary>
    internal static async Task<bool> ReportAsync(TextWriter error, IEnumerable<string> problems)
    {
        var any = false;
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem);
            any = true;
        }
        return any;
    }
}
