using Couriers.Core.Couriers;
using Couriers.Core.Lookup;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Couriers.Api.Health;

// Ready means the store answers: a load balancer stops sending traffic while it does not. On a store
// that other instances write too, the capacity index must also be built (Unhealthy until it is) and
// caught up within its bound; past the bound the instance still answers, querying the store for
// lookups, so it reports Degraded (HTTP 200) rather than leaving the pool.
internal sealed class StoreHealthCheck(ICourierStore store, IEnumerable<ICapacityIndexStatus> indexes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            if (!await store.IsReadyAsync(ct)) return HealthCheckResult.Unhealthy("store did not answer");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("store unreachable", e);
        }
        foreach (var index in indexes)
        {
            switch (index.Freshness)
            {
                case IndexFreshness.Loading: return HealthCheckResult.Unhealthy(index.Describe());
                case IndexFreshness.Behind: return HealthCheckResult.Degraded(index.Describe());
            }
        }
        return HealthCheckResult.Healthy();
    }
}
