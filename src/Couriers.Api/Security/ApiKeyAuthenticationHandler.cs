using System.Text.Encodings.Web;
using Couriers.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Security;

/// <summary>
/// Authenticates a request by its API key, sent as <c>X-Api-Key: KEY</c> or <c>Authorization: Bearer KEY</c>.
/// No key is no result (anonymous: the endpoint's policy then answers 401); a wrong key is a failure.
/// 401 and 403 are answered as problem+json. The key itself is never logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyRegistry keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.IsOpen) return Task.FromResult(Success(ApiKeyRegistry.OpenPrincipal(SchemeName)));

        var header = Request.Headers[HeaderName];
        var bearer = BearerToken(Request.Headers.Authorization.ToString());
        if (header.Count > 1) return Task.FromResult(AuthenticateResult.Fail("X-Api-Key is given more than once."));
        var presented = header.Count == 1 ? header.ToString() : bearer;
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (bearer is not null && header.Count == 1 && !string.Equals(bearer, presented, StringComparison.Ordinal))
            return Task.FromResult(AuthenticateResult.Fail("X-Api-Key and Authorization carry different keys."));

        return Task.FromResult(keys.Find(presented) is { } principal
            ? Success(principal)
            : AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer, ApiKey header=\"X-Api-Key\"";
        var detail = result.Failure is { } failure
            ? failure.Message + " Send a valid key in X-Api-Key or as Authorization: Bearer."
            : "Send an API key in X-Api-Key or as Authorization: Bearer.";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "An API key is required.", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await WriteProblemAsync(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "This API key may not do that.",
            $"Client '{Context.User.Identity?.Name}' lacks the role this endpoint needs (docs/security.md lists the roles per endpoint).");
    }

    private Task WriteProblemAsync(int status, string type, string title, string detail) =>
        Problems.WriteAsync(Context, status, type, title, detail).AsTask();

    private AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    private static string? BearerToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
}
