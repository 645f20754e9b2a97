using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Couriers.Api.Health;

internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Live says only that the process serves HTTP; restarting it would not fix a store outage.
        // Load balancers probe without a key; neither answer says more than Healthy or Unhealthy.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
