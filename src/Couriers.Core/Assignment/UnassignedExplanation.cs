namespace Couriers.Core.Assignment;

public enum UnassignedReason
{
    /// <summary>No driver's rules accept the package.</summary>
    NoDriverAccepts,

    /// <summary>Some drivers accept it and have a slot left, but none has room for its volume.</summary>
    TooLargeForCompatibleDrivers,

    /// <summary>Every driver that accepts it has used all its slots.</summary>
    CompatibleDriversFull,
}

/// <summary>How many drivers a rule code refused the package for (a driver may count under several codes).</summary>
public sealed record RuleElimination(string Code, int Drivers);

public sealed record UnassignedExplanation(
    string PackageId,
    UnassignedReason Reason,
    int CompatibleDrivers,
    IReadOnlyList<RuleElimination> EliminatedBy,
    decimal? LargestRoomLitersAmongCompatible);
