using System.Security.Claims;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Couriers.Api.Security;

internal static class ApiGroups
{
    // A route group of the API: needs an authenticated client (any role may read), is rate limited per
    // client and has the default request timeout. Writes narrow the policy on a subgroup.
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag)
            .RequireAuthorization(Policies.Read)
            .RequireRateLimiting(SecurityServiceCollectionExtensions.PerClientRateLimit)
            .WithMetadata(new ApiEndpoint());

    // Endpoints within a group that need a narrower right (a role policy on top of the group's).
    public static RouteGroupBuilder Requiring(this RouteGroupBuilder group, string policy) =>
        group.MapGroup("").RequireAuthorization(policy);

    // Bulk loads and /assign: bigger bodies (read within Limits:BulkBodyBytes) and a longer timeout.
    public static RouteGroupBuilder AsBulk(this RouteGroupBuilder group)
    {
        group.WithRequestTimeout(SecurityServiceCollectionExtensions.BulkTimeout).WithBodyLimit(BodySize.Bulk);
        return group;
    }

    // A driver key bound to a driver may act only for that driver; an unbound driver key (a driver app's
    // backend) and admin may act for any.
    public static bool MayActForDriver(this ClaimsPrincipal user, string driverId) =>
        user.IsInRole(Roles.Admin) || user.FindFirstValue(ApiKeyClaims.DriverId) is not { } bound || bound == driverId;
}
