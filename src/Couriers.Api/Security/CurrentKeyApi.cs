using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Couriers.Api.Security;

// GET /me: the client and roles of the key that calls, so a client (the operations console) can offer only
// what the key may do. The service still checks every request; this only saves a user a 403.
internal static class CurrentKeyApi
{
    public static RouteHandlerBuilder MapCurrentKey(this IEndpointRouteBuilder app) =>
        app.MapApiGroup("/me", "Keys").MapGet("", Describe)
            .WithSummary("The calling key's client, roles and bound driver (any valid key).");

    public static Ok<CurrentKeyResponse> Describe(ClaimsPrincipal user) => TypedResults.Ok(new CurrentKeyResponse(
        user.Identity?.Name ?? "",
        [.. Roles.All.Where(user.IsInRole)],
        user.FindFirstValue(ApiKeyClaims.DriverId),
        user.HasClaim(c => c.Type == ApiKeyClaims.OpenMode)));
}

// open is true on a development instance without keys, where every caller is admin.
internal sealed record CurrentKeyResponse(string Client, IReadOnlyList<string> Roles, string? DriverId, bool Open);
