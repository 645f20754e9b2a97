using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>
/// Every measurement one service instance makes, seen through a MeterListener: only the meters of that
/// instance's IMeterFactory (the service's and the framework's), so tests running beside it add nothing.
/// </summary>
public sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measurements = new();

    public MetricCapture(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    public sealed record Measured(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public bool Has(params (string Key, string Value)[] tags) => tags.All(t => Tags.GetValueOrDefault(t.Key) == t.Value);
    }

    public IReadOnlyList<Measured> Of(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && m.Has(tags)).ToList();

    /// <summary>The sum of a counter's adds with these tags.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>Reads the observable instruments now and returns the last value of <paramref name="instrument"/>.</summary>
    public double Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Last(m => m.Instrument == instrument).Value;
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags) copied[key] = tag?.ToString();
        _measurements.Enqueue(new Measured(instrument.Name, instrument.Unit, value, copied));
    }
}
