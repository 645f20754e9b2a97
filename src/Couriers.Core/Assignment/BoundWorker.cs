namespace Couriers.Core.Assignment;

// Computes the linear-relaxation bound on a thread of its own while the search runs on the caller's.
// It reads only the problem and the caps, which nothing changes once it starts. With a step cap its
// result depends on the input alone (a fixed schedule of evaluations); without one it also stops at
// the budget's deadline, keeping the best bound found so far.
internal sealed class BoundWorker
{
    private readonly Task<DualBoundResult> _task;
    private readonly long _started;
    private volatile bool _cancelled;

    private BoundWorker(Problem problem, int[] caps, ImprovementBudget budget, TimeProvider time)
    {
        // The lazily built index must exist before two threads read it.
        _ = problem.ClassDrivers;
        _started = time.GetTimestamp();
        var timed = !budget.StepCapped;
        _task = Task.Factory.StartNew(
            () =>
            {
                var result = LinearRelaxationBound.Compute(problem, caps, () => !_cancelled && (!timed || budget.BeforeDeadline()));
                Elapsed = time.GetElapsedTime(_started);
                return result;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public TimeSpan Elapsed { get; private set; }

    public static BoundWorker Start(Problem problem, int[] caps, ImprovementBudget budget, TimeProvider time) =>
        new(problem, caps, budget, time);

    // The bound once it is known; int.MaxValue while it is being computed.
    public int Known => _task.IsCompletedSuccessfully ? _task.Result.Bound : int.MaxValue;

    public DualBoundResult Finish() => _task.GetAwaiter().GetResult();

    // The plan already meets a bound: the rest of this one's work would change nothing.
    public DualBoundResult Cancel()
    {
        _cancelled = true;
        return Finish();
    }
}
