using Amazon.Runtime;
using Couriers.Api.Security;
using Couriers.Api.Tests.Contract;
using Couriers.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests;

/// <summary>
/// The real application on a real store: a SQLite file of its own (removed when the test ends), or
/// tables of their own in the shared DynamoDB Local. Two factories on one file or one table prefix are two
/// service instances sharing a store. Keys for every role are configured (<see cref="TestKeys"/>), and the
/// clients it creates send the admin key unless a test asks for another key or none. Every answer on a
/// documented operation is recorded and, when the factory is disposed, checked against the OpenAPI document
/// (<see cref="ResponseRecorder"/>): a test whose answers break the contract fails.
/// </summary>
public sealed class CourierApiFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string?> _settings = [];
    private FaultInjector? _faults;
    private Action<IServiceCollection>? _services;
    private string _environment = "Testing";
    private bool _withKeys = true;
    private ResponseRecorder? _recorder = new();

    /// <summary>No keys configured: an open instance (allowed in Development and Testing only).</summary>
    public CourierApiFactory WithoutKeys()
    {
        _withKeys = false;
        return this;
    }

    /// <summary>Answers are not checked against the document (the factory that serves the document itself).</summary>
    public CourierApiFactory WithoutResponseChecks()
    {
        _recorder = null;
        return this;
    }

    public CourierApiFactory InEnvironment(string name)
    {
        _environment = name;
        return this;
    }

    /// <summary>A client that sends <paramref name="key"/> in X-Api-Key, or no key at all.</summary>
    public HttpClient ClientWith(string? key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.HeaderName);
        if (key is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (_withKeys) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TestKeys.Admin);
    }

    /// <summary>Replaces or adds services, e.g. a clock the test moves by hand.</summary>
    public CourierApiFactory WithServices(Action<IServiceCollection> configure)
    {
        _services += configure;
        return this;
    }

    public static string NewTablePrefix() => $"t{Guid.NewGuid():N}"[..13] + "-";

    /// <summary>The service on DynamoDB (DynamoDB Local), optionally behind a fault injector.</summary>
    public static CourierApiFactory OnDynamoDb(DynamoDbLocalFixture dynamoDb, string? tablePrefix = null, FaultInjector? faults = null)
    {
        var factory = new CourierApiFactory()
            .With("Storage:Provider", "DynamoDb")
            .With("Storage:DynamoDb:Region", "us-east-1")
            .With("Storage:DynamoDb:ServiceUrl", dynamoDb.ServiceUrl)
            .With("Storage:DynamoDb:TablePrefix", tablePrefix ?? NewTablePrefix())
            .With("Storage:DynamoDb:CreateTables", "true");
        factory._faults = faults;
        return factory;
    }

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
        builder.UseEnvironment(_environment);
        builder.UseSetting("Storage:Sqlite:Path", _folder.File("api.db"));
        if (_withKeys) foreach (var (key, value) in TestKeys.Settings()) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_faults is { } faults) builder.ConfigureServices(services => services.AddSingleton<HttpClientFactory>(faults.Factory));
        if (_services is { } configure) builder.ConfigureServices(configure);
        if (_recorder is { } recorder) builder.ConfigureServices(services => services.AddSingleton(recorder.StartupFilter()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
        if (_recorder is null) return;
        var failures = await _recorder.CheckAsync();
        _recorder = null;
        if (failures.Count > 0)
            throw new Xunit.Sdk.XunitException($"{failures.Count} answers break the OpenAPI document:\n" + string.Join("\n", failures.Distinct().Take(30)));
    }
}
