using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Couriers.Api.Infrastructure;
using Couriers.Api.Security;
using Microsoft.Net.Http.Headers;

// Not Couriers.Api.Console: a namespace of that name would shadow System.Console in every Couriers.Api.* file.
namespace Couriers.Api.OperationsConsole;

// The operations console: a static page and its ES modules, embedded in the assembly (Console/wwwroot) so the
// service serves every byte itself, in a container or not. The files hold no data, so they need no key; the
// page asks for one and sends it with each API call.
internal static class ConsoleEndpoints
{
    public const string Path = "/console";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var files = ConsoleFile.LoadAll(typeof(ConsoleEndpoints).Assembly);
        var group = app.MapGroup(Path).AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(SecurityServiceCollectionExtensions.PerClientRateLimit);
        group.MapGet("/{**name}", (string? name, HttpRequest request) => Serve(files, name, request));
        return app;
    }

    private static IResult Serve(FrozenDictionary<string, ConsoleFile> files, string? name, HttpRequest request)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (request.Path.Value?.EndsWith('/') != true) return TypedResults.Redirect(Path + "/");
            name = "index.html";
        }
        if (!files.TryGetValue(name, out var file)) return Problems.NotFound("Console file", name);
        if (request.Headers.IfNoneMatch.ToString() == file.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        request.HttpContext.Response.Headers.ETag = file.ETag;
        return TypedResults.Bytes(file.Content, file.ContentType);
    }
}

internal sealed record ConsoleFile(byte[] Content, string ContentType, string ETag)
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static FrozenDictionary<string, ConsoleFile> LoadAll(Assembly assembly) => assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .ToFrozenDictionary(n => n[Prefix.Length..], n => Load(assembly, n), StringComparer.Ordinal);

    private static ConsoleFile Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var type = Types.GetValueOrDefault(System.IO.Path.GetExtension(resource), "application/octet-stream");
        return new ConsoleFile(content, type, new EntityTagHeaderValue($"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"").ToString());
    }
}
