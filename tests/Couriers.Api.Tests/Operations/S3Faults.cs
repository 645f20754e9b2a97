using System.Net;
using System.Text;
using Amazon.Runtime;

namespace Couriers.Api.Tests.Operations;

public enum S3Fault
{
    None,
    /// <summary>503 SlowDown, as S3 answers when it sheds load.</summary>
    ServiceUnavailable,
    /// <summary>The connection drops before the request reaches S3.</summary>
    DropRequest,
    /// <summary>The object is stored, then the connection drops before the answer arrives.</summary>
    LoseResponse,
}

/// <summary>
/// An HttpMessageHandler between the S3 client and s3rver that fails chosen PutObject requests, or
/// holds them until released, as an S3 outage or a slow network would. Plugged in through
/// AmazonS3Config.HttpClientFactory.
/// </summary>
public sealed class S3Faults : DelegatingHandler
{
    private volatile Func<int, S3Fault> _rule = _ => S3Fault.None;
    private volatile TaskCompletionSource? _hold;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _puts;
    private int _faulted;

    public S3Faults() : base(new SocketsHttpHandler()) { }

    public int Puts => Volatile.Read(ref _puts);

    public int Faulted => Volatile.Read(ref _faulted);

    /// <summary>The rule gets the number of the PutObject request (1, 2, …).</summary>
    public void Inject(Func<int, S3Fault> rule) => _rule = rule;

    public void Heal() => _rule = _ => S3Fault.None;

    /// <summary>PutObject requests wait until <see cref="Release"/>; <see cref="Held"/> completes when the first one waits.</summary>
    public void Hold()
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task Held => _held.Task;

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public HttpClientFactory Factory => new SdkFactory(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        // PutObject is a PUT of a key below the bucket: /bucket/events/...
        if (request.Method != HttpMethod.Put || !request.RequestUri!.AbsolutePath.Contains("/events/", StringComparison.Ordinal))
            return await base.SendAsync(request, ct);
        var number = Interlocked.Increment(ref _puts);
        if (_hold is { } hold)
        {
            _held.TrySetResult();
            await hold.Task.WaitAsync(ct);
        }
        var fault = _rule(number);
        if (fault != S3Fault.None) Interlocked.Increment(ref _faulted);
        switch (fault)
        {
            case S3Fault.ServiceUnavailable:
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
                        Encoding.UTF8, "application/xml"),
                };
            case S3Fault.DropRequest:
                throw new HttpRequestException("Connection reset by peer (injected before sending)", new IOException("connection reset"));
            case S3Fault.LoseResponse:
                (await base.SendAsync(request, ct)).Dispose();
                throw new HttpRequestException("Connection reset by peer (injected after the object landed)", new IOException("connection reset"));
            default:
                return await base.SendAsync(request, ct);
        }
    }

    private sealed class SdkFactory(S3Faults handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    }
}
