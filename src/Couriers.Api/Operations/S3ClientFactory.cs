using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace Couriers.Api.Operations;

/// <summary>The S3 client of the log sink, from <c>OperationalLog:S3</c>; a host may register its own IAmazonS3 instead.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Config Config(S3LogOptions options, HttpClientFactory? httpClientFactory = null)
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxErrorRetry,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
            // Emulators answer on one host name; bucket.localstack would not resolve.
            config.ForcePathStyle = true;
        }
        return config;
    }

    public static IAmazonS3 Create(S3LogOptions options) =>
        string.IsNullOrEmpty(options.ServiceUrl)
            ? new AmazonS3Client(Config(options)) // the SDK's default chain: the ECS task role on AWS
            : new AmazonS3Client(EmulatorCredentials(), Config(options));

    /// <summary>
    /// For an emulator endpoint: credentials from the environment or a profile when there are any,
    /// otherwise fixed local ones (LocalStack accepts anything). The full default chain is not
    /// asked, because its last link queries the EC2 instance metadata endpoint.
    /// </summary>
    private static AWSCredentials EmulatorCredentials()
    {
        var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret)) return new BasicAWSCredentials(key, secret);
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
            ? fromProfile
            : new BasicAWSCredentials("local", "local");
    }
}
