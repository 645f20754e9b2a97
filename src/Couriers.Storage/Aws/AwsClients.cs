using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Couriers.Storage.Aws;

// The one place that points an AWS SDK client (DynamoDB, the operational log's S3) at AWS or at an emulator.
public static class AwsClients
{
    /// <param name="http">Optional: how the SDK makes its HttpClient (a proxy, or a test's fault injector).</param>
    public static T Configure<T>(T config, string? serviceUrl, string region, int maxErrorRetry, int timeoutSeconds, HttpClientFactory? http)
        where T : ClientConfig
    {
        // Standard: exponential backoff with jitter and a retry quota, the same in every SDK.
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = maxErrorRetry;
        config.Timeout = TimeSpan.FromSeconds(timeoutSeconds);
        if (http is not null) config.HttpClientFactory = http;
        if (string.IsNullOrEmpty(serviceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }
        return config;
    }

    /// <summary>
    /// Null on AWS (the SDK's default chain: the ECS task role). For an emulator endpoint: credentials from
    /// the environment or a profile when there are any, otherwise fixed local ones (emulators accept
    /// anything); the default chain's last link would query the EC2 instance metadata endpoint.
    /// </summary>
    public static AWSCredentials? Credentials(string? serviceUrl)
    {
        if (string.IsNullOrEmpty(serviceUrl)) return null;
        var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret)) return new BasicAWSCredentials(key, secret);
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
            ? fromProfile
            : new BasicAWSCredentials("local", "local");
    }
}
