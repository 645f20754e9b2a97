using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Couriers.Storage.DynamoDb;

/// <summary>Bound from <c>Storage:DynamoDb</c>; read only when <c>Storage:Provider</c> is DynamoDb.</summary>
public sealed class DynamoDbOptions
{
    public const string Section = "Storage:DynamoDb";

    /// <summary>AWS region (eu-west-1); required with the DynamoDb provider, also to sign emulator requests.</summary>
    public string? Region { get; set; }

    /// <summary>Endpoint override for LocalStack or DynamoDB Local, e.g. http://localhost:4566.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Put before every table name (dev-, test-…), matching the Terraform workspace.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{0,64}$", ErrorMessage = "Storage:DynamoDb:TablePrefix may hold only letters, digits, '_', '-' and '.' (at most 64).")]
    public string TablePrefix { get; set; } = "";

    /// <summary>Development creates missing tables at startup; production only checks they exist.</summary>
    public bool CreateTables { get; set; }

    /// <summary>Partitions the capacity lookup index is spread over; only raise it on a live table.</summary>
    [Range(1, 256, ErrorMessage = "Storage:DynamoDb:LookupShards must be between 1 and 256.")]
    public int LookupShards { get; set; } = 8;

    /// <summary>Partitions each package status is spread over in the status index.</summary>
    [Range(1, 256, ErrorMessage = "Storage:DynamoDb:StatusShards must be between 1 and 256.")]
    public int StatusShards { get; set; } = 4;

    /// <summary>SDK retries per request (RetryMode Standard: exponential backoff with jitter).</summary>
    [Range(0, 10, ErrorMessage = "Storage:DynamoDb:MaxErrorRetry must be between 0 and 10.")]
    public int MaxErrorRetry { get; set; } = 3;

    /// <summary>Time one HTTP attempt may take before it counts as failed.</summary>
    [Range(1, 120, ErrorMessage = "Storage:DynamoDb:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>The readiness probe's budget, retries included.</summary>
    [Range(1, 60, ErrorMessage = "Storage:DynamoDb:ReadyTimeoutSeconds must be between 1 and 60.")]
    public int ReadyTimeoutSeconds { get; set; } = 2;

    /// <summary>Rounds of BatchWriteItem for items DynamoDB left unprocessed, with backoff and jitter.</summary>
    [Range(1, 20, ErrorMessage = "Storage:DynamoDb:UnprocessedRetries must be between 1 and 20.")]
    public int UnprocessedRetries { get; set; } = 8;

    /// <summary>Concurrent writers a batch (a driver list, an /assign plan) uses.</summary>
    [Range(1, 64, ErrorMessage = "Storage:DynamoDb:WriteParallelism must be between 1 and 64.")]
    public int WriteParallelism { get; set; } = 8;

    /// <summary>
    /// The most a lookup may lag behind other instances' writes. The capacity index polls the change index
    /// twice per bound; caught up longer ago than this, lookups query the table and readiness says Degraded.
    /// </summary>
    [Range(100, 600_000, ErrorMessage = "Storage:DynamoDb:IndexFreshnessMilliseconds must be between 100 and 600000.")]
    public int IndexFreshnessMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How far back each poll reads again: covers a write landing after the time it carries (its request
    /// in flight), the change index's own lag and clocks apart between instances.
    /// </summary>
    [Range(100, 600_000, ErrorMessage = "Storage:DynamoDb:IndexOverlapMilliseconds must be between 100 and 600000.")]
    public int IndexOverlapMilliseconds { get; set; } = 2000;

    /// <summary>How often the whole index is compared with the table's list index, for changes no poll saw.</summary>
    [Range(10, 86_400, ErrorMessage = "Storage:DynamoDb:IndexResyncSeconds must be between 10 and 86400.")]
    public int IndexResyncSeconds { get; set; } = 300;
}

// Rules across settings, which DataAnnotations cannot express.
internal sealed class DynamoDbOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<DynamoDbOptions>
{
    public ValidateOptionsResult Validate(string? name, DynamoDbOptions options)
    {
        if (!string.Equals(storage.Value.Provider, StorageOptions.DynamoDb, StringComparison.Ordinal))
            return ValidateOptionsResult.Skip;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region))
            failures.Add("Storage:DynamoDb:Region is required when Storage:Provider is DynamoDb (for example eu-west-1; emulators accept any).");
        if (options.ServiceUrl is { Length: > 0 } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            failures.Add($"Storage:DynamoDb:ServiceUrl must be an absolute http or https URL (got '{url}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
