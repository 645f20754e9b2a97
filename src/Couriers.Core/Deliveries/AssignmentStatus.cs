namespace Couriers.Core.Deliveries;

/// <summary>
/// A delivery's life: assigned → accepted → in_progress → delivered, and failed_to_deliver from any
/// active state. Moves go forward only (a step may be skipped: a driver may start without accepting),
/// delivered needs in_progress first, and the two end states are final.
/// </summary>
public enum AssignmentStatus { Assigned, Accepted, InProgress, Delivered, FailedToDeliver }

public enum Transition { Moved, Unchanged, Illegal }

public static class AssignmentStatuses
{
    private static readonly Dictionary<string, AssignmentStatus> ByWire = new(StringComparer.Ordinal)
    {
        ["assigned"] = AssignmentStatus.Assigned,
        ["accepted"] = AssignmentStatus.Accepted,
        ["in_progress"] = AssignmentStatus.InProgress,
        ["delivered"] = AssignmentStatus.Delivered,
        ["failed_to_deliver"] = AssignmentStatus.FailedToDeliver,
    };

    public static IReadOnlyCollection<string> WireNames => ByWire.Keys;

    public static bool TryParse(string text, out AssignmentStatus status) => ByWire.TryGetValue(text, out status);

    public static string ToWire(this AssignmentStatus status) => ByWire.First(pair => pair.Value == status).Key;

    /// <summary>Active assignments hold the package and its volume; the end states release both.</summary>
    public static bool IsActive(this AssignmentStatus status) => status < AssignmentStatus.Delivered;

    public static Transition Check(AssignmentStatus from, AssignmentStatus to)
    {
        if (from == to) return Transition.Unchanged;
        var legal = from.IsActive() && to switch
        {
            AssignmentStatus.FailedToDeliver => true,
            AssignmentStatus.Delivered => from == AssignmentStatus.InProgress,
            _ => to > from,
        };
        return legal ? Transition.Moved : Transition.Illegal;
    }

    public static IReadOnlyList<string> AllowedFrom(AssignmentStatus from) =>
        Enum.GetValues<AssignmentStatus>().Where(to => Check(from, to) == Transition.Moved).Select(ToWire).ToList();
}
