namespace Couriers.Api.Infrastructure;

/// <summary>Request size limits in one place, so the README's table and the code cannot disagree.</summary>
internal static class Limits
{
    public const long SmallBodyBytes = 16 * 1024;
    public const long BulkBodyBytes = 32 * 1024 * 1024;
    public const int MaxPackagesPerBatch = 50_000;
    public const int MaxDriversPerBatch = 10_000;
    public const int MaxDriverIdsPerAssign = 10_000;
    public const int MaxPerDriver = 1_000;
    public const long AssignBodyBytes = 1024 * 1024;
}
