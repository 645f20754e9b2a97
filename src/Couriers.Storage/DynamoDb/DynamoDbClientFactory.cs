using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Couriers.Storage.DynamoDb;

/// <summary>Builds the one IAmazonDynamoDB the service injects: retries, timeouts, endpoint and credentials from settings.</summary>
internal static class DynamoDbClientFactory
{
    /// <param name="httpClientFactory">Optional: how the SDK makes its HttpClient (a proxy, or a test's fault injector).</param>
    public static IAmazonDynamoDB Create(DynamoDbOptions options, HttpClientFactory? httpClientFactory)
    {
        var config = new AmazonDynamoDBConfig
        {
            // Standard: exponential backoff with jitter and a retry quota, the same in every SDK.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxErrorRetry,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            return new AmazonDynamoDBClient(config); // the SDK's default credential chain
        }
        config.ServiceURL = options.ServiceUrl;
        config.AuthenticationRegion = options.Region;
        return new AmazonDynamoDBClient(LocalCredentials(), config);
    }

    /// <summary>
    /// For an emulator endpoint: credentials from the environment or a profile when there are any,
    /// otherwise fixed local ones (emulators accept anything). The full default chain is not asked,
    /// because its last link queries the EC2 instance metadata endpoint.
    /// </summary>
    private static AWSCredentials LocalCredentials()
    {
        var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret))
            return new BasicAWSCredentials(key, secret);
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
            ? fromProfile
            : new BasicAWSCredentials("local", "local");
    }
}
