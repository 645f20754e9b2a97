using System.Globalization;
using System.Text.Json;
using Couriers.Core.Couriers;

namespace Couriers.Api.Infrastructure;

/// <summary>
/// Reads the fields of one JSON object and collects an error per bad field, keyed by its path
/// (e.g. "max_capacity" or "[3].weight_kg"), so one answer lists everything wrong at once.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly bool _notAnObject;
    private readonly int _errorsBefore;

    public JsonFields(JsonElement element, string prefix = "", Dictionary<string, string[]>? errors = null)
    {
        _prefix = prefix;
        Errors = errors ?? [];
        _errorsBefore = Errors.Count;
        if (element.ValueKind != JsonValueKind.Object)
        {
            AddError(prefix.Length == 0 ? "$" : prefix, "must be a JSON object");
            _notAnObject = true;
            return;
        }
        foreach (var property in element.EnumerateObject())
        {
            // Duplicate keys are ambiguous (which one wins differs between parsers), so refuse them.
            if (!_fields.TryAdd(property.Name, property.Value)) Fail(property.Name, "is given more than once");
        }
    }

    public Dictionary<string, string[]> Errors { get; }

    /// <summary>No error for this object; a batch shares one error dictionary, so count only our own.</summary>
    public bool IsValid => Errors.Count == _errorsBefore;

    /// <summary>An id given as a string, or as a whole JSON number (the Stuart seed sends 1234).</summary>
    public string? Id(string name, bool required = true)
    {
        if (!Take(name, required, out var value)) return null;
        string? id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var n) && n >= 0 => n.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        if (id is null) return Fail(name, "must be a string or a non-negative whole number");
        return Identifiers.Problem(id) is { } problem ? Fail(name, problem) : id;
    }

    /// <summary>A quantity in liters: a JSON number, at most milliliter precision, within bounds.</summary>
    public decimal? Capacity(string name, bool required = true, bool allowZero = false)
    {
        if (Number(name, required) is not { } liters) return null;
        return Liters.Problem(liters, allowZero) is { } problem ? FailNumber(name, problem) : liters;
    }

    public decimal? Number(string name, bool required = true)
    {
        if (!Take(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number) return FailNumber(name, "must be a number");
        return value.TryGetDecimal(out var number) ? number : FailNumber(name, "is too large or too precise to be a quantity");
    }

    public int? Integer(string name, int min, int max, bool required = true)
    {
        if (!Take(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < min || n > max)
        {
            Fail(name, $"must be a whole number from {min} to {max}");
            return null;
        }
        return n;
    }

    public string? String(string name, bool required = true, int maxLength = 512)
    {
        if (!Take(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) return Fail(name, "must be a string");
        var text = value.GetString()!;
        return text.Length > maxLength ? Fail(name, $"must be at most {maxLength} characters") : text;
    }

    public bool? Boolean(string name, bool required = true)
    {
        if (!Take(name, required, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Fail(name, "must be true or false");
        return null;
    }

    public JsonElement? Element(string name, bool required = true) => Take(name, required, out var value) ? value : null;

    /// <summary>Unknown fields are refused, not ignored: a misspelt field must not pass as absent.</summary>
    public JsonFields RejectUnknown()
    {
        foreach (var name in _fields.Keys.Where(n => !_known.Contains(n)))
            Fail(name, "is not a known field");
        return this;
    }

    public string? Fail(string name, string message)
    {
        AddError(Path(name), message);
        return null;
    }

    private void AddError(string path, string message) =>
        Errors[path] = Errors.TryGetValue(path, out var existing) ? [.. existing, message] : [message];

    public string Path(string name) => _prefix.Length == 0 ? name : $"{_prefix}.{name}";

    private decimal? FailNumber(string name, string message)
    {
        Fail(name, message);
        return null;
    }

    private bool Take(string name, bool required, out JsonElement value)
    {
        _known.Add(name);
        if (_fields.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        // Not an object at all: that one error says it, "is required" for every field would be noise.
        if (required && !_notAnObject) Fail(name, "is required");
        return false;
    }
}
