namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// Starts dynalite (emulators/dynalite.js) on a free loopback port for a collection of test
/// classes and stops it afterwards. A missing node or emulator fails the tests: they are never skipped.
/// </summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    public int Port => _emulator?.Port ?? throw new InvalidOperationException("dynalite is not started");

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync("dynalite.js", "dynalite");

    public async Task DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }

    public static string RepoRoot() => EmulatorProcess.RepoRoot();
}

/// <summary>One dynalite for every DynamoDB test class; each test still gets tables of its own.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}
