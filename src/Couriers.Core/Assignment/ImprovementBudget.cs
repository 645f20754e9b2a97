namespace Couriers.Core.Assignment;

// Stops the improvement phase by a step cap (deterministic) or a wall-clock budget.
internal sealed class ImprovementBudget
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly TimeSpan _budget;
    private readonly int _maxSteps;

    public ImprovementBudget(AssignmentOptions options)
    {
        _time = options.Time;
        _start = _time.GetTimestamp();
        // The search stops a little early (5%, at most 50 ms) so the refill and the answer fit the budget too.
        _budget = options.ImprovementBudget - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(50).Ticks, options.ImprovementBudget.Ticks / 20));
        _maxSteps = options.MaxImprovementSteps ?? int.MaxValue;
    }

    public int Steps { get; private set; }

    // With a step cap the work, not the clock, decides the result; the bound's thread then runs its
    // fixed schedule to the end instead of stopping at the deadline.
    public bool StepCapped => _maxSteps != int.MaxValue;

    public bool StoppedByTime { get; private set; }

    public bool Exhausted => Steps >= _maxSteps || StoppedByTime;

    // Safe to call from the bound's thread: it only reads the clock.
    public bool BeforeDeadline() => _time.GetElapsedTime(_start) < _budget;

    // Counts steps; reads the clock only every 64 steps so timing costs next to nothing.
    public bool TryStep(int steps = 1)
    {
        if (Exhausted)
        {
            return false;
        }

        var before = Steps;
        Steps = (int)Math.Min(_maxSteps, (long)Steps + steps);
        if ((before >> 6) != (Steps >> 6) && _time.GetElapsedTime(_start) >= _budget)
        {
            StoppedByTime = true;
        }

        return true;
    }
}
