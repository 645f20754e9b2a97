using Couriers.Storage.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Couriers.Api.Tests;

/// <summary>The real application on a real SQLite file of its own, removed when the test ends.</summary>
public sealed class CourierApiFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string?> _settings = [];

    public CourierApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Serve on a loopback port through Kestrel instead of the in-memory test server.</summary>
    public CourierApiFactory OnKestrel()
    {
        UseKestrel(0);
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Sqlite:Path", _folder.File("api.db"));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
