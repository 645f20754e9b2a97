namespace Couriers.Api.Infrastructure;

// Stable problem type URIs (RFC 9457): clients branch on these, never on titles or details,
// so the wording can improve without breaking anyone.
internal static class ProblemTypes
{
    private const string Prefix = "urn:problem:courier-capacity:";

    public const string Validation = Prefix + "validation";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string NotFound = Prefix + "not-found";
    public const string DuplicateCourier = Prefix + "duplicate-courier";
    public const string CapacityConflict = Prefix + "capacity-conflict";
    public const string InsufficientCapacity = Prefix + "insufficient-capacity";
    public const string ReferenceConflict = Prefix + "reference-conflict";
    public const string PackageAssignedElsewhere = Prefix + "package-assigned-elsewhere";
    public const string ActiveReservations = Prefix + "active-reservations";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string StoreUnavailable = Prefix + "store-unavailable";
    public const string BatchConflict = Prefix + "batch-conflict";
    public const string UnknownDrivers = Prefix + "unknown-drivers";
    public const string IllegalTransition = Prefix + "illegal-transition";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string RateLimited = Prefix + "rate-limited";
    public const string Timeout = Prefix + "timeout";
}
