using System.Security.Claims;

namespace Couriers.Api.Security;

// Puts the client's name (and which of its keys) into the logging scope of everything the request
// logs, and on an open instance warns once per remote address that it serves without keys.
internal sealed class ClientLogScopeMiddleware(RequestDelegate next, ILogger<ClientLogScopeMiddleware> log, OpenModeWarnings warnings)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        if (user.HasClaim(c => c.Type == ApiKeyClaims.OpenMode)) warnings.FirstRequestFrom(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        using (log.BeginScope(new Dictionary<string, object?>
        {
            ["Client"] = user.Identity.Name,
            ["KeyId"] = user.FindFirstValue(ApiKeyClaims.KeyId),
        }))
        {
            await next(context);
        }
    }
}
