using Couriers.Cli;

namespace Couriers.Cli.Tests;

/// <summary>Runs the CLI in-process, exactly as its Main does, with its output and error captured.</summary>
public static class Cli
{
    public static async Task<CliRun> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CouriersCli.RunAsync(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Fails with everything the CLI said, which is what one needs to see when it did not succeed.</summary>
    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nout: {Output}\nerr: {Error}");
        return this;
    }
}
