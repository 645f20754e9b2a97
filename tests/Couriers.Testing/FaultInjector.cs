using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Couriers.Testing;

/// <summary>What the injector does to one request.</summary>
public enum Fault
{
    None,
    /// <summary>400 ProvisionedThroughputExceededException, as DynamoDB answers a hot partition.</summary>
    Throttle,
    /// <summary>400 ThrottlingException (control-plane and account-level throttling).</summary>
    ThrottlingException,
    ServerError,
    ServiceUnavailable,
    /// <summary>The connection drops before the request reaches DynamoDB.</summary>
    DropRequest,
    /// <summary>The request is applied, then the connection drops before the response arrives.</summary>
    LoseResponse,
    /// <summary>A BatchWriteItem applies only its first half and returns the rest as UnprocessedItems.</summary>
    HalfUnprocessed,
    /// <summary>A TransactWriteItems cancelled because another transaction holds one of its items; nothing applied.</summary>
    TransactionConflict,
    /// <summary>A TransactWriteItems cancelled by a condition that failed in a race the next read no longer shows; nothing applied.</summary>
    TransactionConditionFailed,
    /// <summary>The transaction is applied, but the answer says the same ClientRequestToken is still in progress.</summary>
    TransactionInProgress,
    /// <summary>A single-item write refused because the item is in another writer's transaction right now; nothing applied.</summary>
    ItemInTransaction,
}

/// <summary>A request as the injector sees it: the DynamoDB operation and its JSON body.</summary>
public sealed record DynamoCall(string Operation, string Body)
{
    public bool Targets(string table) => Body.Contains($"\"TableName\":\"{table}\"", StringComparison.Ordinal)
        || Body.Contains($"\"{table}\":", StringComparison.Ordinal);

    /// <summary>The items of a TransactWriteItems, or the write requests of a BatchWriteItem.</summary>
    public int Items => Operation switch
    {
        "TransactWriteItems" => JsonNode.Parse(Body)!["TransactItems"]!.AsArray().Count,
        "BatchWriteItem" => JsonNode.Parse(Body)!["RequestItems"]!.AsObject().Sum(t => t.Value!.AsArray().Count),
        _ => 1,
    };

    public string? Token => Operation == "TransactWriteItems" ? JsonNode.Parse(Body)!["ClientRequestToken"]?.GetValue<string>() : null;

    /// <summary>A poll of the change index: the capacity index feed's own request, made in the background.</summary>
    public bool IsIndexPoll => Operation == "Query" && Body.Contains("\"IndexName\":\"by_change\"", StringComparison.Ordinal);
}

/// <summary>One call with the fault it was given and when it was on the wire (Stopwatch ticks).</summary>
public sealed record SeenCall(DynamoCall Call, Fault Fault, long Started, long Ended);

/// <summary>
/// An HttpMessageHandler between the AWS SDK and DynamoDB Local that answers chosen requests with
/// throttling, server errors or dropped connections, as DynamoDB and networks do.
/// Plugged in through AmazonDynamoDBConfig.HttpClientFactory (see <see cref="Factory"/>).
/// </summary>
public sealed class FaultInjector : DelegatingHandler
{
    private Func<DynamoCall, Fault> _rule = _ => Fault.None;

    public FaultInjector() : base(new SocketsHttpHandler()) { }

    /// <summary>Every call seen, with the fault it was given, in order; the capacity index feed's polls apart.</summary>
    public ConcurrentQueue<SeenCall> Calls { get; } = new();

    /// <summary>The capacity index feed's polls, which run on their own timer beside whatever a test measures.</summary>
    public ConcurrentQueue<SeenCall> IndexPolls { get; } = new();

    public void Inject(Func<DynamoCall, Fault> rule) => _rule = rule;

    public void Heal() => _rule = _ => Fault.None;

    /// <summary>Gives <paramref name="fault"/> to the first <paramref name="times"/> calls that match, then nothing.</summary>
    public void InjectTimes(int times, Fault fault, Func<DynamoCall, bool> match)
    {
        var left = times;
        Inject(call => match(call) && Interlocked.Decrement(ref left) >= 0 ? fault : Fault.None);
    }

    public int Count(string operation, Fault? fault = null) =>
        Calls.Count(c => c.Call.Operation == operation && (fault is null || c.Fault == fault));

    /// <summary>
    /// Round trips: calls that overlap in time went out together (a parallel fan-out) and count once;
    /// a call that starts after everything before it ended is another round trip.
    /// </summary>
    public int RoundTrips()
    {
        var (trips, end) = (0, long.MinValue);
        foreach (var call in Calls.OrderBy(c => c.Started))
        {
            if (call.Started >= end) trips++;
            end = Math.Max(end, call.Ended);
        }
        return trips;
    }

    public HttpClientFactory Factory => new SdkFactory(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First()
            : request.Content?.Headers.TryGetValues("X-Amz-Target", out var contentValues) == true ? contentValues.First() : "";
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var call = new DynamoCall(target[(target.IndexOf('.') + 1)..], body);
        var fault = _rule(call);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await AnswerAsync(request, call, fault, ct);
        }
        finally
        {
            (call.IsIndexPoll ? IndexPolls : Calls).Enqueue(new SeenCall(call, fault, started, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, DynamoCall call, Fault fault, CancellationToken ct)
    {
        var body = call.Body;
        switch (fault)
        {
            case Fault.Throttle:
                return Error(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.");
            case Fault.ThrottlingException:
                return Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
            case Fault.ServerError:
                return Error(HttpStatusCode.InternalServerError, "InternalServerError", "Internal server error");
            case Fault.ServiceUnavailable:
                return Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Service unavailable");
            case Fault.DropRequest:
                throw new HttpRequestException("Connection reset by peer (injected before sending)", new IOException("connection reset"));
            case Fault.LoseResponse:
                (await base.SendAsync(Resend(request, body), ct)).Dispose();
                throw new HttpRequestException("Connection reset by peer (injected after the write landed)", new IOException("connection reset"));
            case Fault.HalfUnprocessed:
                return await HalfUnprocessedAsync(request, body, ct);
            case Fault.TransactionConflict:
                return Cancelled(call.Items, "TransactionConflict", "Transaction is ongoing for the item");
            case Fault.TransactionConditionFailed:
                return Cancelled(call.Items, "ConditionalCheckFailed", "The conditional request failed");
            case Fault.TransactionInProgress:
                (await base.SendAsync(Resend(request, body), ct)).Dispose();
                return Error(HttpStatusCode.BadRequest, "TransactionInProgressException", "The transaction with the given request token is already in progress.");
            case Fault.ItemInTransaction:
                return Error(HttpStatusCode.BadRequest, "TransactionConflictException", "Transaction is ongoing for the item");
            default:
                return await base.SendAsync(Resend(request, body), ct);
        }
    }

    private async Task<HttpResponseMessage> HalfUnprocessedAsync(HttpRequestMessage request, string body, CancellationToken ct)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        var items = json["RequestItems"]!.AsObject();
        var unprocessed = new JsonObject();
        foreach (var (table, list) in items.ToList())
        {
            var writes = list!.AsArray().Select(w => w!.DeepClone()).ToList();
            var keep = Math.Max(1, writes.Count / 2);
            items[table] = new JsonArray(writes.Take(keep).ToArray());
            if (writes.Count > keep) unprocessed[table] = new JsonArray(writes.Skip(keep).ToArray());
        }
        // DynamoDB Local does not check signatures, so the shortened body can be sent as it is.
        using var response = await base.SendAsync(Resend(request, json.ToJsonString()), ct);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
        answer["UnprocessedItems"] = unprocessed;
        return Json(HttpStatusCode.OK, answer.ToJsonString());
    }

    private static HttpRequestMessage Resend(HttpRequestMessage request, string body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Clear();
        foreach (var header in request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        copy.Content = content;
        return copy;
    }

    /// <summary>TransactionCanceledException as DynamoDB sends it: one reason per item, the first one the cause.</summary>
    private static HttpResponseMessage Cancelled(int items, string code, string message)
    {
        var reasons = new JsonArray(Enumerable.Range(0, items).Select(i => (JsonNode)(i == 0
            ? new JsonObject { ["Code"] = code, ["Message"] = message }
            : new JsonObject { ["Code"] = "None" })).ToArray());
        var answer = new JsonObject
        {
            ["__type"] = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            ["CancellationReasons"] = reasons,
            ["Message"] = $"Transaction cancelled, please refer cancellation reasons for specific reasons [{string.Join(", ", Enumerable.Range(0, items).Select(i => i == 0 ? code : "None"))}]",
        };
        return Json(HttpStatusCode.BadRequest, answer.ToJsonString());
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string type, string message) =>
        Json(status, $$"""{"__type":"com.amazonaws.dynamodb.v20120810#{{type}}","message":"{{message}}"}""");

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        response.Headers.Add("x-amzn-RequestId", Guid.NewGuid().ToString());
        return response;
    }

    private sealed class SdkFactory(FaultInjector handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    }
}
