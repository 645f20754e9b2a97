namespace Couriers.Api.Tests.Operations;

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
    public async Task BadOperationalLogSettingsStopStartupWithAMessageNamingTheSetting(string key, string value, string named)
    {
        await using var api = new CourierApiFactory().With(key, value);

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(named, error.ToString());
    }

    [Fact]
    public async Task AnS3SinkWithoutARegionAnywhereStopsStartup()
    {
        await using var api = new CourierApiFactory().With("OperationalLog:Sink", "S3").With("OperationalLog:Bucket", "logs");

        var error = Record.Exception(() => api.CreateClient());

        Assert.Contains("OperationalLog:S3:Region", error?.ToString());
    }
}
