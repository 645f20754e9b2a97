namespace Couriers.Api.Security;

/// <summary>The roles an API key may carry, as written in configuration (Auth:Keys:N:Roles).</summary>
public static class Roles
{
    /// <summary>The Stuart API: keeps couriers and drivers in sync and loads packages.</summary>
    public const string CourierSync = "courier-sync";

    /// <summary>The Dispatcher: looks up room, reserves and releases it, runs /assign.</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>The driver app: reports delivery status (/update), for its own driver when the key is bound to one.</summary>
    public const string Driver = "driver";

    /// <summary>Operators: everything any other role may do.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [CourierSync, Dispatcher, Driver, Admin];
}

/// <summary>
/// Authorization policies, one per kind of right. Admin passes every one. Endpoint groups name the
/// policy once; see docs/security.md for the table of which role reaches which endpoint.
/// </summary>
public static class Policies
{
    /// <summary>Any authenticated client: the GET endpoints (couriers, drivers, packages, reservations).</summary>
    public const string Read = "read";

    public const string CourierSync = "courier-sync";

    public const string Dispatch = "dispatch";

    public const string DriverUpdate = "driver-update";
}

/// <summary>Claim types the API key handler issues besides name and role.</summary>
public static class ApiKeyClaims
{
    /// <summary>The driver a key is bound to: a driver key may update only that driver's deliveries.</summary>
    public const string DriverId = "driver_id";

    /// <summary>The first 12 hex digits of the key's SHA-256: tells a client's keys apart in logs during a rotation.</summary>
    public const string KeyId = "key_id";

    /// <summary>Present on the principal of a keyless (open, development-only) instance.</summary>
    public const string OpenMode = "open_mode";
}
