namespace Couriers.Core.Assignment;

/// <summary>Package ids for one driver, sorted ordinally.</summary>
public sealed record DriverAssignment(string DriverId, IReadOnlyList<string> PackageIds);

/// <summary>
/// The engine's answer: one entry per input driver in input order, the unassigned package ids in
/// ordinal order, statistics and, when asked, one explanation per unassigned package.
/// </summary>
public sealed record AssignmentPlan(
    IReadOnlyList<DriverAssignment> Assignments,
    IReadOnlyList<string> Unassigned,
    AssignmentStats Stats,
    IReadOnlyList<UnassignedExplanation> Explanations);

public sealed record PhaseTiming(string Name, TimeSpan Elapsed);

/// <param name="UpperBound">No plan can assign more; equal to <paramref name="Assigned"/> when volume does not bind.</param>
/// <param name="FlowBoundIgnoringVolume">The max-flow value over rules and slots alone.</param>
/// <param name="VolumeBinding">True when the count-optimal plan would overfill some driver, so the heuristic ran.</param>
/// <param name="ImprovementStoppedByBudget">True when the wall-clock budget stopped the search (<see cref="SearchStop"/> is <see cref="Assignment.SearchStop.TimeBudget"/>).</param>
public sealed record AssignmentStats(
    int Assigned,
    int UpperBound,
    int FlowBoundIgnoringVolume,
    bool VolumeBinding,
    int PackageClasses,
    int DriverGroups,
    int ImprovementSteps,
    bool ImprovementStoppedByBudget,
    TimeSpan Elapsed,
    IReadOnlyList<PhaseTiming> Phases)
{
    /// <summary>Which relaxation gave <see cref="UpperBound"/>.</summary>
    public BoundMethod BoundMethod { get; init; } = BoundMethod.MaxFlow;

    /// <summary>Why the improvement search stopped; <see cref="SearchStop.NotNeeded"/> when room does not bind.</summary>
    public SearchStop SearchStop { get; init; } = SearchStop.NotNeeded;

    /// <summary>How long the bound's own thread ran (it runs beside the search when room binds); zero otherwise.</summary>
    public TimeSpan BoundTime { get; init; }

    /// <summary>The search step at which a plan with <see cref="Assigned"/> packages was first held (0 when no search ran): how much of the step budget the answer needed.</summary>
    public int StepsToBest { get; init; }

    public int Gap => UpperBound - Assigned;

    public double GapPercent => UpperBound == 0 ? 0 : 100.0 * Gap / UpperBound;
}

/// <summary>How the upper bound was obtained; each is a relaxation, so no plan can beat it.</summary>
public enum BoundMethod
{
    /// <summary>Max flow over rules and slots, room ignored; exact when room does not bind.</summary>
    MaxFlow,

    /// <summary>Max flow with each driver capped at how many of its smallest compatible packages fit its room.</summary>
    MaxFlowUnderRoomCaps,

    /// <summary>
    /// The dual of the linear relaxation (fractional packages within every driver's slots and room),
    /// at the best slot and room prices the bound's thread found; any prices give a valid bound.
    /// </summary>
    LinearRelaxation,
}
