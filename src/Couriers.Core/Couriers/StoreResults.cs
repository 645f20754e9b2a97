namespace Couriers.Core.Couriers;

// Expected outcomes of store operations are values, not exceptions, so the API maps each one to a
// typed HTTP result and a store adapter cannot forget a case without the compiler noticing.

public enum CreateStatus { Created, AlreadyExists, ConflictingDuplicate }

public sealed record CreateCourierResult(CreateStatus Status, Courier Courier);

public enum UpdateStatus { Updated, NotFound, VersionMismatch, Refused }

/// <param name="Before">On Updated, the courier as the write found it (read in the same atomic step).</param>
public sealed record UpdateCourierResult(UpdateStatus Status, Courier? Courier, string? Field = null, string? Error = null, Courier? Before = null);

public enum DeleteStatus { Deleted, NotFound, VersionMismatch, HasActiveReservations }

public sealed record DeleteCourierResult(DeleteStatus Status, Courier? Courier);

public enum ReserveStatus
{
    Reserved,
    AlreadyReserved,
    CourierNotFound,
    InsufficientCapacity,
    /// <summary>The reference is already on this courier with another volume, or finished.</summary>
    ReferenceConflict,
    ReferenceActiveOnOtherCourier,
}

public sealed record ReserveResult(ReserveStatus Status, Reservation? Reservation, Courier? Courier, string? OtherCourierId = null);

public enum ReleaseStatus { Released, NotFound, NotActive }

/// <param name="Released">On Released, the reservation that was given back.</param>
public sealed record ReleaseResult(ReleaseStatus Status, Courier? Courier, Reservation? Released = null);
