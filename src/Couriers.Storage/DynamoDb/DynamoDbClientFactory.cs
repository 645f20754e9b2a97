using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Couriers.Storage.Aws;

namespace Couriers.Storage.DynamoDb;

internal static class DynamoDbClientFactory
{
    public static IAmazonDynamoDB Create(DynamoDbOptions options, HttpClientFactory? httpClientFactory)
    {
        var config = AwsClients.Configure(new AmazonDynamoDBConfig(), options.ServiceUrl, options.Region!,
            options.MaxErrorRetry, options.TimeoutSeconds, httpClientFactory);
        return AwsClients.Credentials(options.ServiceUrl) is { } credentials
            ? new AmazonDynamoDBClient(credentials, config)
            : new AmazonDynamoDBClient(config);
    }
}
