using System.Globalization;
using System.Threading.RateLimiting;
using Couriers.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Security;

/// <summary>API keys and roles, per-client rate limits, request timeouts and the limits they read.</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>The rate limiter policy every API group names (health is not limited).</summary>
    public const string PerClientRateLimit = "per-client";

    /// <summary>The request timeout of bulk loads and /assign; every other endpoint has the default one.</summary>
    public const string BulkTimeout = "bulk";

    public static IServiceCollection AddApiSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LimitsOptions>>().Value);

        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<OpenModeWarnings>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Anything not explicitly opened (an unknown path, the docs when not public) needs a key.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.CourierSync, p => p.RequireRole(Roles.CourierSync, Roles.Admin))
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Dispatcher, Roles.Admin))
            .AddPolicy(Policies.DriverUpdate, p => p.RequireRole(Roles.Driver, Roles.Admin));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            var rate = limits.Value.RateLimit;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteTooManyRequestsAsync;
            options.AddPolicy(PerClientRateLimit, context => rate.PermitsPerSecond == 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = rate.PermitLimit,
                    TokensPerPeriod = rate.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });

        services.AddRequestTimeouts(_ => { });
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            options.DefaultPolicy = TimeoutPolicy(limits.Value.RequestTimeout);
            options.AddPolicy(BulkTimeout, TimeoutPolicy(limits.Value.BulkRequestTimeout));
        });
        return services;
    }

    /// <summary>A client is its key's client name; without a key (or on an open instance), its remote address.</summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } && !context.User.HasClaim(c => c.Type == ApiKeyClaims.OpenMode)
            ? "client:" + name
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests.",
            $"This client's request rate is over its limit; retry in {seconds} s.");
    }

    private static RequestTimeoutPolicy TimeoutPolicy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = async context =>
        {
            if (context.Response.HasStarted) return;
            await Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, ProblemTypes.Timeout, "The request took too long.",
                $"It was cancelled after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. " +
                "A single change cut off this way is applied whole or not at all; a batch or an /assign may be partly applied, and sending it again completes it.");
        },
    };
}
