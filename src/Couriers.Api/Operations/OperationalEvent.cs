using System.Text.Json;
using System.Text.Json.Serialization;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Operations;

/// <summary>
/// One change the service made, as one JSON line: when (UTC), who (the authenticated name,
/// "anonymous", or "system" outside a request), which request, which entity, what, and the
/// entity's state before and after. <see cref="Sequence"/> grows by one per event of this instance,
/// so a gap in it is an event that was dropped.
/// </summary>
public sealed record OperationalEvent(
    string EventId,
    string Instance,
    long Sequence,
    DateTime Time,
    string Actor,
    string? RequestId,
    string EntityType,
    string EntityId,
    string Action,
    object? Before,
    object? After);

public static class EntityTypes
{
    public const string Courier = "courier";
    public const string Reservation = "reservation";
    public const string Assignment = "assignment";

    /// <summary>Every assignment one /assign commit made, in one event (its id names the commit).</summary>
    public const string Assignments = "assignments";
}

public static class Actions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Released = "released";
    public const string StatusChanged = "status_changed";
}

// The states an event carries: small, stable shapes of their own, so a change of a response type
// does not silently change the log's format.

public sealed record CourierState(
    string Id, decimal? MaxCapacity, decimal DeclaredLoad, decimal ReservedCapacity, decimal? AvailableCapacity,
    long Version, DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RuleState>? Rules = null)
{
    public static CourierState Of(Courier c, IReadOnlyList<RuleSpec>? rules = null) =>
        new(c.Id, c.MaxCapacity, c.DeclaredLoad, c.ReservedCapacity, c.AvailableCapacity, c.Version, c.UpdatedAt,
            rules?.Select(r => new RuleState(r.RuleId, r.Code, r.Params)).ToList());
}

public sealed record RuleState(string RuleId, string Code, JsonElement Params);

public sealed record ReservationState(string CourierId, string Reference, decimal Volume, string Status)
{
    public static ReservationState Of(Reservation r) => new(r.CourierId, r.Reference, r.Volume, r.Status);
}

public sealed record AssignmentState(string DriverId, string PackageId, string Status, decimal VolumeLiters, Package? Package)
{
    public static AssignmentState Of(AssignmentRecord a) => new(a.DriverId, a.PackageId, a.Status.ToWire(), a.VolumeLiters, a.Package);
}

/// <summary>
/// What one /assign commit wrote. The packages' attributes are not repeated: they were loaded by
/// POST /packages and never change, while the log records changes.
/// </summary>
public sealed record AssignmentsState(int Count, IReadOnlyList<AssignedState> Assignments)
{
    public static AssignmentsState Of(IReadOnlyList<AssignmentRecord> written) =>
        new(written.Count, written.Select(a => new AssignedState(a.DriverId, a.PackageId, a.Status.ToWire(), a.VolumeLiters)).ToList());
}

public sealed record AssignedState(string DriverId, string PackageId, string Status, decimal VolumeLiters);

internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    /// <summary>The batch as JSON Lines: one event per line, each line ending in '\n'.</summary>
    public static byte[] Lines(IReadOnlyList<OperationalEvent> events)
    {
        using var buffer = new MemoryStream(events.Count * 512);
        foreach (var e in events)
        {
            JsonSerializer.Serialize(buffer, e, Options);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }
}
