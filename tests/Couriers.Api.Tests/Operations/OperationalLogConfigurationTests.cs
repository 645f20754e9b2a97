using Couriers.Api.Operations;
using Couriers.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Tests.Operations;

/// <summary>
/// Bad OperationalLog settings stop startup with a message naming the setting. The services are
/// registered as Program.cs does and checked by the host's own startup validator (what Host.StartAsync
/// runs first), without starting a web host for each case.
/// </summary>
public sealed class OperationalLogConfigurationTests
{
    [Theory]
    [InlineData("OperationalLog:Sink", "Kafka", "OperationalLog:Sink")]
    [InlineData("OperationalLog:Sink", "S3", "OperationalLog:Bucket is required")]
    [InlineData("OperationalLog:Bucket", "Not_A_Bucket", "OperationalLog:Bucket")]
    [InlineData("OperationalLog:QueueCapacity", "0", "OperationalLog:QueueCapacity")]
    [InlineData("OperationalLog:BatchSize", "20000", "OperationalLog:BatchSize")]
    [InlineData("OperationalLog:FlushIntervalSeconds", "0", "OperationalLog:FlushIntervalSeconds")]
    [InlineData("OperationalLog:MaxAttempts", "0", "OperationalLog:MaxAttempts")]
    [InlineData("OperationalLog:RetryMaxDelaySeconds", "0.01", "OperationalLog:RetryMaxDelaySeconds")]
    [InlineData("OperationalLog:S3:ServiceUrl", "localstack:4566", "OperationalLog:S3:ServiceUrl")]
    [InlineData("OperationalLog:InstanceId", "has spaces", "OperationalLog:InstanceId")]
    public void BadOperationalLogSettingsStopStartupWithAMessageNamingTheSetting(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(new() { [key] = value }));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void AnS3SinkNeedsARegionAndTakesStorageRegionWhenItHasNone()
    {
        var settings = new Dictionary<string, string?> { ["OperationalLog:Sink"] = "S3", ["OperationalLog:Bucket"] = "logs" };
        Assert.Contains("OperationalLog:S3:Region", Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings)).Message);

        settings["Storage:DynamoDb:Region"] = "eu-west-1";
        Assert.Equal("eu-west-1", ValidateAtStartup(settings).S3.Region);
    }

    [Fact]
    public void TheDefaultsAreValidAndKeepTheLogBesideTheDatabase()
    {
        var options = ValidateAtStartup(new() { ["Storage:Sqlite:Path"] = Path.Combine("var", "lib", "couriers.db") });

        Assert.Equal(Path.Combine("var", "lib", "events"), options.Path);
        Assert.Equal(OperationalLogOptions.FileSink, options.ResolvedSink(StorageOptions.Sqlite));
    }

    /// <summary>Registers what Program.cs registers for the store and the log, then runs the startup validation.</summary>
    internal static OperationalLogOptions ValidateAtStartup(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddCourierStore(configuration);
        services.AddOperationalLog(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<OperationalLogOptions>>().Value;
    }
}
