namespace Couriers.Cli.Tests;

/// <summary>A folder of its own for one test's files, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("couriers-cli-test-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open (the service's database); the OS temp cleaner takes it */ }
    }
}
