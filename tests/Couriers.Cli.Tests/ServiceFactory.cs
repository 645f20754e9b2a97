using Couriers.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Cli.Tests;

/// <summary>
/// The real service on a loopback port (Kestrel, not the in-memory test server, because the CLI makes
/// its own HTTP connections) with a SQLite file of its own. The pattern of CourierApiFactory in the API tests.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _folder = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">Configuration on top of the defaults, e.g. Auth:Keys entries (none: an open instance).</param>
    public ServiceFactory(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Url = addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(Url) };
    }

    /// <summary>Where the service listens, as given to <c>couriers load --url</c>.</summary>
    public string Url { get; }

    /// <summary>A plain HTTP client to the same address, for checking what the service holds.</summary>
    public HttpClient Client { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Sqlite:Path", _folder.File("service.db"));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
