using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Infrastructure;

/// <summary>
/// Every request limit in one place, bound from <c>Limits:*</c> and validated at startup, so the README's
/// table, the code and a deployment's settings cannot disagree. Bulk loads get larger bodies and longer
/// timeouts than the endpoints a client calls many times a second.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    [Range(1024, 16L * 1024 * 1024, ErrorMessage = "Limits:SmallBodyBytes must be between 1 KiB and 16 MiB.")]
    public long SmallBodyBytes { get; set; } = 16 * 1024;

    [Range(1024, 64L * 1024 * 1024, ErrorMessage = "Limits:AssignBodyBytes must be between 1 KiB and 64 MiB.")]
    public long AssignBodyBytes { get; set; } = 1024 * 1024;

    [Range(1024, 1024L * 1024 * 1024, ErrorMessage = "Limits:BulkBodyBytes must be between 1 KiB and 1 GiB.")]
    public long BulkBodyBytes { get; set; } = 32 * 1024 * 1024;

    [Range(2, 256, ErrorMessage = "Limits:MaxJsonDepth must be between 2 and 256.")]
    public int MaxJsonDepth { get; set; } = 32;

    [Range(1, 1_000_000, ErrorMessage = "Limits:MaxPackagesPerBatch must be between 1 and 1,000,000.")]
    public int MaxPackagesPerBatch { get; set; } = 50_000;

    [Range(1, 1_000_000, ErrorMessage = "Limits:MaxDriversPerBatch must be between 1 and 1,000,000.")]
    public int MaxDriversPerBatch { get; set; } = 10_000;

    [Range(1, 1000, ErrorMessage = "Limits:MaxRulesPerDriver must be between 1 and 1000.")]
    public int MaxRulesPerDriver { get; set; } = 50;

    [Range(1, 1_000_000, ErrorMessage = "Limits:MaxDriverIdsPerAssign must be between 1 and 1,000,000.")]
    public int MaxDriverIdsPerAssign { get; set; } = 10_000;

    [Range(1, 1_000_000, ErrorMessage = "Limits:MaxPerDriver must be between 1 and 1,000,000.")]
    public int MaxPerDriver { get; set; } = 1_000;

    [Range(1, 10_000, ErrorMessage = "Limits:DefaultPageSize must be between 1 and 10,000.")]
    public int DefaultPageSize { get; set; } = 50;

    [Range(1, 10_000, ErrorMessage = "Limits:MaxPageSize must be between 1 and 10,000.")]
    public int MaxPageSize { get; set; } = 500;

    /// <summary>How long one request may run before it is cancelled with a 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The same for bulk loads and /assign, which write up to a day's data in one request.</summary>
    public TimeSpan BulkRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The largest body any endpoint accepts: Kestrel's own limit.</summary>
    public long LargestBodyBytes => Math.Max(BulkBodyBytes, Math.Max(AssignBodyBytes, SmallBodyBytes));
}

/// <summary>A token bucket per client (per API key's client name; per remote address without one).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a client may send in a burst (the bucket's size).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Limits:RateLimit:PermitLimit must be between 1 and 1,000,000.")]
    public int PermitLimit { get; set; } = 1000;

    /// <summary>Sustained requests per second per client; 0 turns rate limiting off (benchmarks).</summary>
    [Range(0, 1_000_000, ErrorMessage = "Limits:RateLimit:PermitsPerSecond must be between 0 (off) and 1,000,000.")]
    public int PermitsPerSecond { get; set; } = 500;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, LimitsOptions o)
    {
        var errors = new List<string>();
        if (o.DefaultPageSize > o.MaxPageSize) errors.Add("Limits:DefaultPageSize must not exceed Limits:MaxPageSize.");
        if (o.SmallBodyBytes > o.BulkBodyBytes) errors.Add("Limits:SmallBodyBytes must not exceed Limits:BulkBodyBytes.");
        if (o.RequestTimeout <= TimeSpan.Zero || o.RequestTimeout > Longest)
            errors.Add("Limits:RequestTimeout must be a positive time span of at most 01:00:00.");
        if (o.BulkRequestTimeout <= TimeSpan.Zero || o.BulkRequestTimeout > Longest)
            errors.Add("Limits:BulkRequestTimeout must be a positive time span of at most 01:00:00.");
        if (o.RateLimit is null) errors.Add("Limits:RateLimit must be given.");
        else
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(o.RateLimit, new ValidationContext(o.RateLimit), results, validateAllProperties: true))
                errors.AddRange(results.Select(r => r.ErrorMessage ?? "Limits:RateLimit is not valid."));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
