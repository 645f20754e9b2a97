using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Couriers.Core;

namespace Couriers.Storage.DynamoDb;

// Which failures mean "DynamoDB is unavailable" (the API answers 503 with Retry-After) and which
// are answers. A failed condition is an answer (no room, already claimed) and is never turned
// into unavailability; a validation error is a bug and is left to surface as one.
internal static class DynamoErrors
{
    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
        "InternalServerError", "InternalFailure", "ServiceUnavailable", "ResourceNotFoundException",
    };

    public static async Task<T> Call<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken ct)
    {
        try
        {
            return await call(ct);
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            throw new StoreUnavailableException($"DynamoDB did not complete {what}: {e.Message}", e);
        }
    }

    public static bool IsUnavailable(Exception e, CancellationToken ct) => e switch
    {
        ConditionalCheckFailedException or TransactionCanceledException => false,
        ProvisionedThroughputExceededException or ThrottlingException or RequestLimitExceededException
            or InternalServerErrorException or ResourceNotFoundException => true,
        // The caller's own cancellation is not an outage; the SDK's timeout is.
        OperationCanceledException => !ct.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        AmazonServiceException s => (int)s.StatusCode >= 500 || s.StatusCode == HttpStatusCode.TooManyRequests
            || UnavailableCodes.Contains(s.ErrorCode ?? "") || (s.StatusCode == 0 && s.InnerException is not null),
        // Client-side failures: no connection, no credentials from the instance role endpoint.
        AmazonClientException => true,
        _ => false,
    };
}
