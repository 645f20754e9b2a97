using System.Diagnostics;
using Couriers.Api.Telemetry;
using Couriers.Api.Tests.Support;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>
/// The hot path's cost with an exporter listening (the service's own MeterProvider, Prometheus on): one more
/// layer of lookup counting on top of the service's real lookup allocates nothing. Time is printed, never asserted.
/// </summary>
public sealed class LookupCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CountingALookupAllocatesNothingWhileAnExporterListens()
    {
        await using var api = new CourierApiFactory().With("OpenTelemetry:Prometheus", "true");
        var client = api.CreateClient();
        for (var i = 0; i < 20; i++) await client.Post("/couriers", $$"""{"id": "c{{i}}", "max_capacity": {{10 + i}}}""").Succeeds();
        var service = api.Services.GetRequiredService<ICourierLookup>();
        var counted = new MeasuredCourierLookup(service, api.Services.GetRequiredService<ServiceMetrics>());
        var page = new PageRequest<LookupCursor>(10, null);

        long Allocated(ICourierLookup lookup, int times)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < times; i++) Assert.Equal(10, lookup.LookupAsync(15m, page, CancellationToken.None).Result.Items.Count);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(service, 1_000);
        Allocated(counted, 1_000); // warm: the SDK's first measurement of a tag set takes its slot

        // The least of three runs each: a one-off allocation on this thread (a catch-up query, a tier-up) is not the lookup's.
        var plain = Enumerable.Range(0, 3).Min(_ => Allocated(service, 10_000));
        var withCounters = Enumerable.Range(0, 3).Min(_ => Allocated(counted, 10_000));

        Assert.Equal(plain, withCounters);
        var started = Stopwatch.GetTimestamp();
        Allocated(service, 100_000);
        var plainTime = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        Allocated(counted, 100_000);
        var countedTime = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"100,000 lookups (limit 10 of 20 couriers): {plainTime.TotalMilliseconds:0} ms as served, {countedTime.TotalMilliseconds:0} ms with one more counting layer; {plain / 10_000} bytes per lookup both");
    }
}
