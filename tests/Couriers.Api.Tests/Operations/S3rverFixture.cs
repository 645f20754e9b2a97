using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Couriers.Api.Operations;
using Couriers.Testing;

namespace Couriers.Api.Tests.Operations;

/// <summary>
/// Starts s3rver (emulators/s3rver.js) on a free loopback port for a collection of test classes
/// and stops it afterwards. A missing node or emulator fails the tests: they are never skipped.
/// s3rver accepts only the access key S3RVER and path-style requests.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    private EmulatorProcess? _emulator;

    public int Port => _emulator?.Port ?? throw new InvalidOperationException("s3rver is not started");

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync("s3rver.js", "s3rver");

    public async Task DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }

    public static string NewBucketName() => $"log-{Guid.NewGuid():N}"[..24];

    /// <summary>A client as the service builds it (same config code), signed with s3rver's key, optionally through a fault handler.</summary>
    public IAmazonS3 Client(HttpClientFactory? http = null) => new AmazonS3Client(
        new BasicAWSCredentials(AccessKey, AccessKey),
        S3ClientFactory.Config(new S3LogOptions { ServiceUrl = ServiceUrl, Region = "us-east-1" }, http));

    /// <summary>Every object under events/ in key order, each as its lines.</summary>
    public async Task<IReadOnlyList<(string Key, IReadOnlyList<string> Lines)>> ReadEventsAsync(string bucket)
    {
        using var s3 = Client();
        var objects = new List<(string, IReadOnlyList<string>)>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = EventKeys.Prefix, ContinuationToken = token });
            foreach (var item in page.S3Objects ?? [])
            {
                using var body = await s3.GetObjectAsync(bucket, item.Key);
                using var reader = new StreamReader(body.ResponseStream);
                var text = await reader.ReadToEndAsync();
                Assert.EndsWith("\n", text);
                objects.Add((item.Key, text.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return objects.OrderBy(o => o.Item1, StringComparer.Ordinal).ToList();
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
