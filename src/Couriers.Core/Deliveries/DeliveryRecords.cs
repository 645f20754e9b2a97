using Couriers.Core.Couriers;

namespace Couriers.Core.Deliveries;

/// <summary>A driver as a day's list gives it: rules always, max_capacity (liters) when known.</summary>
public sealed record DriverRecord(string Id, IReadOnlyList<RuleSpec> Rules, decimal? MaxCapacity);

/// <summary>A driver as stored: the courier behind it, its rules and how many packages it holds now.</summary>
public sealed record DriverView(Courier Courier, IReadOnlyList<RuleSpec> Rules, int ActiveAssignments);

/// <summary>Where a package is: waiting in the pool, with a driver, or delivered.</summary>
public enum PackageStatus { Unassigned, Assigned, Delivered }

public sealed record StoredPackage(Package Package, PackageStatus Status, string? DriverId, int FailedAttempts);

public sealed record AssignmentRecord(
    string DriverId,
    string PackageId,
    AssignmentStatus Status,
    decimal VolumeLiters,
    Package? Package,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record PlannedAssignment(string DriverId, Package Package);

/// <summary>
/// A batch load's outcome. When <see cref="Conflicts"/> is not empty nothing was applied: a refused
/// batch is never half-loaded.
/// </summary>
public sealed record BatchResult(int Created, int Updated, int Unchanged, IReadOnlyDictionary<string, string> Conflicts)
{
    public bool Applied => Conflicts.Count == 0;
}

public enum StatusUpdateOutcome { Updated, Unchanged, NotFound, Illegal }

/// <param name="Previous">On Updated, the status the assignment had before.</param>
public sealed record StatusUpdateResult(StatusUpdateOutcome Outcome, AssignmentRecord? Record, AssignmentStatus? Previous = null);
