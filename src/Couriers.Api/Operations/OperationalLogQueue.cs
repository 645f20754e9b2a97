using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Operations;

// Between the requests that record events and the one shipper that sends them: a bounded channel
// that never makes a request wait. When it is full, or closed for shutdown, an event is counted as
// dropped and a warning says so (at most every ten seconds), so a loss is never silent.
internal sealed class OperationalLogQueue
{
    private static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(10);
    private readonly Channel<OperationalEvent> _channel;
    private readonly ILogger<OperationalLogQueue> _log;
    private readonly TimeProvider _clock;
    private long _sequence;
    private long _lastDropWarning = long.MinValue;

    public OperationalLogQueue(IOptions<OperationalLogOptions> options, OperationalLogStatus status, TimeProvider clock, ILogger<OperationalLogQueue> log)
    {
        Capacity = options.Value.QueueCapacity;
        // FullMode.Wait with TryWrite: a full channel refuses the write at once (DropWrite would
        // report success for an event it threw away).
        _channel = Channel.CreateBounded<OperationalEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        Instance = options.Value.InstanceId is { Length: > 0 } id ? id : DefaultInstanceId();
        Status = status;
        _clock = clock;
        _log = log;
    }

    public string Instance { get; }

    public int Capacity { get; }

    public OperationalLogStatus Status { get; }

    public int Queued => _channel.Reader.Count;

    internal ChannelReader<OperationalEvent> Reader => _channel.Reader;

    // Numbers the event and queues it; false (counted and reported) when it had to be dropped.
    public bool TryEnqueue(Func<long, OperationalEvent> create)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var item = create(sequence);
        // Counted before the write, so the shipper can never count it shipped before it was recorded.
        Status.Recorded();
        if (_channel.Writer.TryWrite(item)) return true;
        var dropped = Status.Dropped();
        var now = _clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropWarning);
        if ((last == long.MinValue || _clock.GetElapsedTime(last, now) >= WarnEvery)
            && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            _log.LogWarning("Operational log: event {EventId} ({EntityType} {EntityId} {Action}) dropped, {Dropped} in all: the queue of {Capacity} is full or closed",
                item.EventId, item.EntityType, item.EntityId, item.Action, dropped, Capacity);
        }
        return false;
    }

    // No more events: the shipper drains what is queued and stops.
    internal void Complete() => _channel.Writer.TryComplete();

    private static string DefaultInstanceId()
    {
        var host = new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(40).ToArray());
        // Two processes on one host (or a restarted container) must not write the same object keys.
        return $"{(host.Length > 0 ? host : "host")}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
    }
}
