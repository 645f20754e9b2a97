using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Telemetry;

/// <summary>Counts the authorization middleware's refusals (401 without a valid key, 403 for a role without the right), then lets the framework answer.</summary>
internal sealed class CountingAuthorizationResultHandler(ServiceMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    private static readonly KeyValuePair<string, object?> Unauthenticated = new(Tags.Reason, "unauthenticated"), Forbidden = new(Tags.Reason, "forbidden");
    private readonly AuthorizationMiddlewareResultHandler _framework = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged) metrics.Refusals.Add(1, Unauthenticated);
        else if (authorizeResult.Forbidden) metrics.Refusals.Add(1, Forbidden);
        return _framework.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>Counts 429s by wrapping the rate limiter's rejection answer (whatever Security/ configured it to write).</summary>
internal sealed class CountingRateLimiterRejections(ServiceMetrics metrics) : IPostConfigureOptions<RateLimiterOptions>
{
    private static readonly KeyValuePair<string, object?> RateLimited = new(Tags.Reason, "rate_limited");

    public void PostConfigure(string? name, RateLimiterOptions options)
    {
        var answer = options.OnRejected;
        options.OnRejected = (context, ct) =>
        {
            metrics.Refusals.Add(1, RateLimited);
            return answer?.Invoke(context, ct) ?? ValueTask.CompletedTask;
        };
    }
}
