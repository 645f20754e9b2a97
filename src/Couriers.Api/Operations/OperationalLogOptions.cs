using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Couriers.Storage;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Operations;

/// <summary>
/// Bound from <c>OperationalLog</c>. Where the operational events go and how they are batched; bad
/// values stop startup. Without a sink named, events go to S3 when the service runs on DynamoDB and a
/// bucket is configured, and to local files otherwise (embedded mode).
/// </summary>
public sealed class OperationalLogOptions
{
    public const string Section = "OperationalLog";
    public const string FileSink = "File";
    public const string S3Sink = "S3";

    /// <summary>File or S3; empty chooses as described above.</summary>
    [RegularExpression("^(File|S3)?$", ErrorMessage = "OperationalLog:Sink must be 'File' or 'S3'.")]
    public string? Sink { get; set; }

    /// <summary>The S3 log bucket (Terraform's <c>log_bucket</c> output).</summary>
    public string? Bucket { get; set; }

    /// <summary>Folder of the File sink, and where events S3 never took are kept; default: beside the SQLite file, <c>data/events</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Names this process in object keys and event ids; default: host name plus a random suffix per start.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "OperationalLog:InstanceId may hold only letters, digits, '_', '-' and '.' (1 to 64).")]
    public string? InstanceId { get; set; }

    /// <summary>Events waiting to be shipped; when full, new events are counted as dropped instead of blocking a request.</summary>
    [Range(1, 1_000_000, ErrorMessage = "OperationalLog:QueueCapacity must be between 1 and 1000000.")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Events per object (S3) or per append (File).</summary>
    [Range(1, 10_000, ErrorMessage = "OperationalLog:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Longest an event waits for its batch to fill before the batch is shipped anyway.</summary>
    [Range(0.01, 3600, ErrorMessage = "OperationalLog:FlushIntervalSeconds must be between 0.01 and 3600.")]
    public double FlushIntervalSeconds { get; set; } = 5;

    /// <summary>Tries per batch, with exponential backoff and jitter between them, before it is counted as failed.</summary>
    [Range(1, 1000, ErrorMessage = "OperationalLog:MaxAttempts must be between 1 and 1000.")]
    public int MaxAttempts { get; set; } = 10;

    [Range(0.001, 60, ErrorMessage = "OperationalLog:RetryBaseDelaySeconds must be between 0.001 and 60.")]
    public double RetryBaseDelaySeconds { get; set; } = 0.5;

    [Range(0.001, 600, ErrorMessage = "OperationalLog:RetryMaxDelaySeconds must be between 0.001 and 600.")]
    public double RetryMaxDelaySeconds { get; set; } = 30;

    /// <summary>How long a graceful shutdown waits for the queue to be shipped (keep it under the host's ShutdownTimeout).</summary>
    [Range(0.1, 300, ErrorMessage = "OperationalLog:ShutdownTimeoutSeconds must be between 0.1 and 300.")]
    public double ShutdownTimeoutSeconds { get; set; } = 10;

    public S3LogOptions S3 { get; set; } = new();

    /// <summary>The sink in force once the defaults are applied (File or S3).</summary>
    public string ResolvedSink(string? storageProvider) =>
        Sink is { Length: > 0 } sink ? sink
        : Bucket is { Length: > 0 } && string.Equals(storageProvider, StorageOptions.DynamoDb, StringComparison.Ordinal) ? S3Sink
        : FileSink;
}

public sealed class S3LogOptions
{
    /// <summary>Default: Storage:DynamoDb:Region.</summary>
    public string? Region { get; set; }

    /// <summary>Endpoint override for LocalStack or s3rver; path-style addressing is used with it.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Create the bucket at startup when it is missing (LocalStack in development; Terraform owns it on AWS).</summary>
    public bool CreateBucket { get; set; }

    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>Rules across settings that DataAnnotations cannot express, including the nested S3 block.</summary>
internal sealed partial class OperationalLogOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<OperationalLogOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationalLogOptions options)
    {
        var failures = new List<string>();
        if (options.Bucket is { Length: > 0 } bucket && !BucketName().IsMatch(bucket))
            failures.Add($"OperationalLog:Bucket '{bucket}' is not a valid S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-').");
        if (options.RetryMaxDelaySeconds < options.RetryBaseDelaySeconds)
            failures.Add("OperationalLog:RetryMaxDelaySeconds must not be less than OperationalLog:RetryBaseDelaySeconds.");
        if (options.S3.TimeoutSeconds is < 1 or > 300)
            failures.Add("OperationalLog:S3:TimeoutSeconds must be between 1 and 300.");
        if (options.S3.ServiceUrl is { Length: > 0 } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            failures.Add($"OperationalLog:S3:ServiceUrl must be an absolute http or https URL (got '{url}').");
        if (options.ResolvedSink(storage.Value.Provider) == OperationalLogOptions.S3Sink)
        {
            if (string.IsNullOrWhiteSpace(options.Bucket))
                failures.Add("OperationalLog:Bucket is required when OperationalLog:Sink is S3.");
            if (string.IsNullOrWhiteSpace(options.S3.Region))
                failures.Add("OperationalLog:S3:Region (or Storage:DynamoDb:Region) is required when OperationalLog:Sink is S3.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^(?!.*\\.\\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
