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
