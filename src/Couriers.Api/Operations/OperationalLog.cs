namespace Couriers.Api.Operations;

// What the store decorators call after a write succeeded: stamps the event with the time, the
// caller and the request (read from the current HttpContext) and queues it. Never blocks and never
// throws for a full queue: the event is counted as dropped instead.
internal sealed class OperationalLog(OperationalLogQueue queue, IHttpContextAccessor http, TimeProvider clock)
{
    public const string AnonymousActor = "anonymous";

    // The actor of writes made outside any request (the development seed at startup).
    public const string SystemActor = "system";

    public void Record(string entityType, string entityId, string action, object? before, object? after)
    {
        var context = http.HttpContext;
        var actor = context is null ? SystemActor
            : context.User.Identity?.Name is { Length: > 0 } name ? name
            : AnonymousActor;
        var requestId = context?.TraceIdentifier;
        var time = clock.GetUtcNow().UtcDateTime;
        queue.TryEnqueue(sequence => new OperationalEvent(
            $"{queue.Instance}-{sequence}", queue.Instance, sequence, time, actor, requestId, entityType, entityId, action, before, after));
    }
}
