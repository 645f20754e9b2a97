using System.Collections.Concurrent;
using System.Security.Claims;

namespace Couriers.Api.Security;

// Headers for a JSON API on every answer, errors included (set when the response starts, so an
// exception handler that clears the response cannot drop them). The docs page gets a CSP that lets
// Swagger UI run from its own files; the operations console gets one that lets its own scripts, styles and
// images load and call the API on the same origin, with nothing inline; every other answer may load nothing
// and be framed by no one.
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    // Swagger UI sets inline styles and uses data: images; its scripts come from /docs itself.
    public const string DocsPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    // No 'unsafe-inline' anywhere: the console sets no style attribute and runs no inline script.
    public const string ConsolePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var docs = context.Request.Path.StartsWithSegments("/docs");
        var console = context.Request.Path.StartsWithSegments(OperationsConsole.ConsoleEndpoints.Path);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = docs ? DocsPolicy : console ? ConsolePolicy : ApiPolicy;
            // Capacity changes by the second: no cache (browser, proxy, CDN) may keep an answer. The console's
            // files may be kept but are checked (ETag) on each load, so a new version shows at once.
            if (console) headers.CacheControl = "no-cache";
            else if (!docs) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }
}

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

// The loud warnings of an instance without keys: at startup, and at each client's first request.
internal sealed class OpenModeWarnings(ILogger<OpenModeWarnings> log)
{
    // Bounded so that a flood from many addresses cannot grow it without end.
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    public const string Message = "NO API KEYS ARE CONFIGURED: this instance is OPEN and serves every request as admin. " +
        "This is allowed only in Development and Testing; configure Auth:Keys (see docs/security.md) before exposing it.";

    public void AtStartup() => log.LogWarning(Message);

    public void FirstRequestFrom(string address)
    {
        if (_warned.Count < MaxRemembered && _warned.TryAdd(address, true))
            log.LogWarning("Open mode: first request from {Address} served without an API key as admin. {Message}", address, Message);
    }
}
