using Couriers.Core.Couriers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Couriers.Api.Health;

/// <summary>Ready means the store answers: a load balancer stops sending traffic while it does not.</summary>
internal sealed class StoreHealthCheck(ICourierStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            return await store.IsReadyAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("store did not answer");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("store unreachable", e);
        }
    }
}
