using Amazon.S3;
using Amazon.S3.Model;

namespace Couriers.Api.Operations;

// Events of one batch, serialized once as JSON Lines; Number counts this instance's batches from 1.
internal sealed record EventBatch(long Number, IReadOnlyList<OperationalEvent> Events, byte[] Lines)
{
    // The hour folder of a batch is the hour of its first event.
    public DateTime FirstEventTime => Events[0].Time;
}

// Where shipped batches go. A write either lands whole or throws; the shipper retries it.
internal interface IEventSink
{
    // For people: s3://bucket/events/ or the folder.
    string Target { get; }

    Task WriteAsync(EventBatch batch, CancellationToken ct);
}

internal static class EventKeys
{
    public const string Prefix = "events/";

    // events/yyyy/MM/dd/HH/<instance>-<batch>.jsonl: hour folders for Athena-style partitions, keys that sort in shipping order per instance.
    public static string ObjectKey(string instance, EventBatch batch) =>
        $"{Prefix}{HourFolder(batch.FirstEventTime)}/{instance}-{batch.Number:D10}.jsonl";

    public static string HourFolder(DateTime time) => time.ToString("yyyy'/'MM'/'dd'/'HH", System.Globalization.CultureInfo.InvariantCulture);
}

// One S3 object per batch. A retry writes the same key with the same bytes, so a response lost
// after the object landed can never duplicate events.
internal sealed class S3EventSink(IAmazonS3 s3, string bucket, string instance, bool createBucket, ILogger log) : IEventSink
{
    private bool _bucketReady = !createBucket;

    public string Target => $"s3://{bucket}/{EventKeys.Prefix}";

    public async Task WriteAsync(EventBatch batch, CancellationToken ct)
    {
        if (!_bucketReady) await CreateBucketAsync(ct);
        using var body = new MemoryStream(batch.Lines, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = EventKeys.ObjectKey(instance, batch),
            InputStream = body,
            AutoCloseStream = false,
            ContentType = "application/x-ndjson",
            // Chunked (aws-chunked) uploads are stored with their framing by some emulators (s3rver).
            UseChunkEncoding = false,
        }, ct);
    }

    private async Task CreateBucketAsync(CancellationToken ct)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct);
            log.LogInformation("Operational log: created bucket {Bucket}", bucket);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
        _bucketReady = true;
    }
}

// Appends each batch to <folder>/yyyy/MM/dd/HH/<instance>.jsonl and flushes it to disk:
// the embedded mode's log, and where batches S3 never took are kept.
internal sealed class FileEventSink(string folder, string instance) : IEventSink
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public string Target => Folder;

    public async Task WriteAsync(EventBatch batch, CancellationToken ct)
    {
        var path = Path.Combine(Folder, EventKeys.HourFolder(batch.FirstEventTime), $"{instance}.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        await file.WriteAsync(batch.Lines, ct);
        file.Flush(flushToDisk: true);
    }
}
