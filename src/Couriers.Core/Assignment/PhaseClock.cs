namespace Couriers.Core.Assignment;

internal sealed class PhaseClock
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _last;

    public PhaseClock(TimeProvider time)
    {
        _time = time;
        _start = _last = time.GetTimestamp();
    }

    public List<PhaseTiming> Timings { get; } = [];

    public TimeSpan Total => _time.GetElapsedTime(_start);

    public void End(string phase)
    {
        var now = _time.GetTimestamp();
        Timings.Add(new PhaseTiming(phase, _time.GetElapsedTime(_last, now)));
        _last = now;
    }
}
