using Couriers.Api.Security;

namespace Couriers.Api.Tests.Support;

/// <summary>
/// One API key per role, as a deployment configures them: only the SHA-256 of each goes into the
/// settings. The driver key is bound to driver "d1"; the fleet key is a driver key bound to no driver.
/// </summary>
public static class TestKeys
{
    public const string Admin = "cc_test-admin-0000000000000000000000000000000000";
    public const string CourierSync = "cc_test-courier-sync-000000000000000000000000000";
    public const string Dispatcher = "cc_test-dispatcher-00000000000000000000000000000";
    public const string Driver = "cc_test-driver-d1-000000000000000000000000000000";
    public const string Fleet = "cc_test-driver-fleet-0000000000000000000000000000";
    public const string Wrong = "cc_test-not-configured-00000000000000000000000000";

    public const string BoundDriverId = "d1";

    public static readonly IReadOnlyList<(string Client, string Key, string[] Roles, string? DriverId)> All =
    [
        ("ops", Admin, [Roles.Admin], null),
        ("stuart", CourierSync, [Roles.CourierSync], null),
        ("dispatcher", Dispatcher, [Roles.Dispatcher], null),
        ("driver-app-d1", Driver, [Roles.Driver], BoundDriverId),
        ("driver-fleet", Fleet, [Roles.Driver], null),
    ];

    public static IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        for (var i = 0; i < All.Count; i++)
        {
            var (client, key, roles, driverId) = All[i];
            yield return new($"Auth:Keys:{i}:Client", client);
            yield return new($"Auth:Keys:{i}:Sha256", ApiKeyRegistry.Hash(key));
            for (var r = 0; r < roles.Length; r++) yield return new($"Auth:Keys:{i}:Roles:{r}", roles[r]);
            if (driverId is not null) yield return new($"Auth:Keys:{i}:DriverId", driverId);
        }
    }
}
