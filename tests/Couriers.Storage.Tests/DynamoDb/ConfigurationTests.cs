using Couriers.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>Bad settings stop startup, as the API's host starts, with a message naming the setting.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class ConfigurationTests(DynamoDbLocalFixture dynamoDb)
{
    [Fact]
    public async Task DynamoDbWithoutARegionStopsStartupNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new() { ["Storage:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl }));
        Assert.Contains("Storage:DynamoDb:Region", error.Message);
    }

    [Theory]
    [InlineData("localhost:8000")]
    [InlineData("ftp://localhost:8000")]
    [InlineData("not a url")]
    public async Task AServiceUrlThatIsNotAnAbsoluteHttpUrlStopsStartupNamingTheSetting(string url)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["Storage:DynamoDb:Region"] = "eu-west-1", ["Storage:DynamoDb:ServiceUrl"] = url,
        }));
        Assert.Contains("Storage:DynamoDb:ServiceUrl", error.Message);
    }

    [Theory]
    [InlineData("Storage:DynamoDb:LookupShards", "0")]
    [InlineData("Storage:DynamoDb:IndexFreshnessMilliseconds", "50")]
    [InlineData("Storage:DynamoDb:IndexOverlapMilliseconds", "0")]
    [InlineData("Storage:DynamoDb:IndexResyncSeconds", "1")]
    public async Task AnOutOfRangeSettingStopsStartupNamingIt(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["Storage:DynamoDb:Region"] = "eu-west-1", ["Storage:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl, [setting] = value,
        }));
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public async Task AnUnknownProviderStopsStartup()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new() { ["Storage:Provider"] = "Mongo" }));
        Assert.Contains("Storage:Provider", error.Message);
    }

    [Fact]
    public async Task WithoutCreateTablesMissingTablesStopStartupSayingWhichAndWhatToDo()
    {
        var prefix = $"absent{Guid.NewGuid():N}"[..14] + "-";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartHostAsync(new()
        {
            ["Storage:DynamoDb:Region"] = "eu-west-1", ["Storage:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl, ["Storage:DynamoDb:TablePrefix"] = prefix,
        }));
        Assert.Contains($"{prefix}Couriers", error.Message);
        Assert.Contains($"{prefix}DeliveryAssignments", error.Message);
        Assert.Contains("Storage:DynamoDb:CreateTables", error.Message);
    }

    [Fact]
    public async Task WithCreateTablesAHostStartsAndItsStoreIsReady()
    {
        using var host = await StartHostAsync(new()
        {
            ["Storage:DynamoDb:Region"] = "eu-west-1", ["Storage:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl,
            ["Storage:DynamoDb:TablePrefix"] = $"host{Guid.NewGuid():N}"[..12] + "-", ["Storage:DynamoDb:CreateTables"] = "true",
        });
        Assert.True(await host.Services.GetRequiredService<Core.Couriers.ICourierStore>().IsReadyAsync(CancellationToken.None));
        // The capacity index is built before the host has started.
        Assert.Equal(Core.Lookup.IndexFreshness.Fresh, host.Services.GetRequiredService<Core.Lookup.ICapacityIndexStatus>().Freshness);
        await host.StopAsync();
    }

    private static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Storage:Provider", "DynamoDb");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging().AddCourierStore(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
