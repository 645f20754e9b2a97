using Microsoft.Extensions.Options;

namespace Couriers.Api.Telemetry;

/// <summary>
/// Where metrics and traces go. Neither set: nothing is exported, and no OpenTelemetry provider exists.
/// The standard OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) work as well as Endpoint.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>An OTLP/gRPC collector, e.g. http://localhost:4317 (the ADOT sidecar on ECS): metrics and traces.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Serve metrics for Prometheus at GET /metrics (admin role; docs/decisions/0008-telemetry.md).</summary>
    public bool Prometheus { get; set; }

    /// <summary>The share of traces kept (0 to 1) when a request comes without a sampled caller's context; a caller's decision is followed.</summary>
    public double TraceSampleRatio { get; set; } = 1;

    internal static bool Otlp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Endpoint)}"]) || !string.IsNullOrWhiteSpace(configuration[StandardEndpointVariable]);
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        if (options.Endpoint is { Length: > 0 } endpoint && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return ValidateOptionsResult.Fail($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Endpoint)} must be an http or https URL of an OTLP collector (e.g. http://localhost:4317), not '{endpoint}'.");
        if (options.TraceSampleRatio is < 0 or > 1 or double.NaN)
            return ValidateOptionsResult.Fail($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.TraceSampleRatio)} must be between 0 and 1, not {options.TraceSampleRatio}.");
        return ValidateOptionsResult.Success;
    }
}
