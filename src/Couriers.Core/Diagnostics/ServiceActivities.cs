using System.Diagnostics;

namespace Couriers.Core.Diagnostics;

/// <summary>
/// The service's own spans: store calls and the assignment engine's phases. Without a listener (no tracer
/// configured) StartActivity returns null and costs a flag check.
/// </summary>
public static class ServiceActivities
{
    public const string SourceName = "Couriers";

    public static readonly ActivitySource Source = new(SourceName);
}
