namespace Couriers.Storage.Tests;

/// <summary>A folder of its own for one test's database files, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("couriers-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open by a killed process; the OS temp cleaner takes it */ }
    }
}
