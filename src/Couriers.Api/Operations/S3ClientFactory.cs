using Amazon.Runtime;
using Amazon.S3;
using Couriers.Storage.Aws;

namespace Couriers.Api.Operations;

// The log sink's S3 client, from OperationalLog:S3; a host may register its own IAmazonS3 instead. The SDK does
// not retry: the shipper retries each batch with backoff and keeps it locally at the end (decision 0009).
internal static class S3ClientFactory
{
    public static AmazonS3Config Config(S3LogOptions options, HttpClientFactory? httpClientFactory = null)
    {
        var config = AwsClients.Configure(new AmazonS3Config(), options.ServiceUrl, options.Region!, maxErrorRetry: 0,
            options.TimeoutSeconds, httpClientFactory);
        // Emulators answer on one host name; bucket.localhost would not resolve.
        config.ForcePathStyle = !string.IsNullOrEmpty(options.ServiceUrl);
        return config;
    }

    public static IAmazonS3 Create(S3LogOptions options) =>
        AwsClients.Credentials(options.ServiceUrl) is { } credentials
            ? new AmazonS3Client(credentials, Config(options))
            : new AmazonS3Client(Config(options));
}
