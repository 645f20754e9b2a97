namespace Couriers.Core.Couriers;

/// <summary>
/// Room taken on a courier for one package, named by the client's reference (the package id).
/// A reservation is an assignment record: the Dispatcher's holds and the daily /assign share one table.
/// </summary>
public sealed record Reservation(
    string CourierId,
    string Reference,
    decimal Volume,
    string Status,
    DateTimeOffset CreatedAt);

public sealed record ReservationRequest(string CourierId, string Reference, decimal Volume);
