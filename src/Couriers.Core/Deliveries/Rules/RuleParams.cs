using System.Globalization;
using System.Text.Json;

namespace Couriers.Core.Deliveries;

// Reads a rule's params strictly and collects every problem instead of stopping at the first.
internal sealed class RuleParams
{
    private readonly JsonElement _params;
    private readonly string _code;
    private readonly IDictionary<string, string> _errors;
    private readonly List<string> _expected = [];

    public RuleParams(string code, JsonElement parameters, IDictionary<string, string> errors)
    {
        _code = code;
        _params = parameters;
        _errors = errors;
    }

    public bool HasErrors => _errors.Count > 0;

    public void Error(string name, string message) => _errors.TryAdd(Path(name), message);

    public decimal Decimal(string name, decimal min, decimal max, bool minExclusive = false)
    {
        if (!TryGet(name, out var value))
        {
            return 0m;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            Error(name, "must be a number");
            return 0m;
        }

        if (!value.TryGetDecimal(out var number))
        {
            Error(name, "must be a number within a sensible range");
            return 0m;
        }

        if (minExclusive && number <= min)
        {
            Error(name, min == 0m ? "must be a positive number" : $"must be greater than {Format(min)}");
        }
        else if (!minExclusive && number < min)
        {
            Error(name, $"must be at least {Format(min)}");
        }
        else if (number > max)
        {
            Error(name, $"must be at most {Format(max)}");
        }

        return number;
    }

    public int Integer(string name, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return 0;
        }

        if (!TryGetInteger(value, out var number) || number < min || number > max)
        {
            Error(name, $"must be an integer from {min} to {max}");
            return 0;
        }

        return (int)number;
    }

    public IReadOnlyList<int> IntegerSet(string name, int min, int max)
    {
        var result = new List<int>();
        foreach (var (item, index) in Array(name))
        {
            if (!TryGetInteger(item, out var number) || number < min || number > max)
            {
                Error($"{name}[{index}]", $"must be an integer from {min} to {max}");
            }
            else if (result.Contains((int)number))
            {
                Error($"{name}[{index}]", $"duplicate value {number}");
            }
            else
            {
                result.Add((int)number);
            }
        }

        return result;
    }

    public IReadOnlyList<Region> RegionSet(string name)
    {
        var result = new List<Region>();
        var items = Array(name);
        foreach (var (item, index) in items)
        {
            if (item.ValueKind != JsonValueKind.String || !Regions.TryParse(item.GetString(), out var region))
            {
                Error($"{name}[{index}]", $"unknown region {Describe(item)}; known: {Regions.KnownNames}");
            }
            else if (result.Contains(region))
            {
                Error($"{name}[{index}]", $"duplicate region '{region.ToWireName()}'");
            }
            else
            {
                result.Add(region);
            }
        }

        if (items.Count == 0 && Has(name) && _params.GetProperty(name).ValueKind == JsonValueKind.Array)
        {
            Error(name, "must list at least one region");
        }

        return result;
    }

    // Unknown params are refused: a typo such as "limit" for "limit_kg" must not silently become "no limit".
    public void RejectUnknown()
    {
        if (_params.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var expected = _expected.Count == 0 ? "none" : string.Join(", ", _expected);
        foreach (var property in _params.EnumerateObject())
        {
            if (!_expected.Contains(property.Name))
            {
                Error(property.Name, $"unknown parameter for {_code}; expected: {expected}");
            }
        }
    }

    private List<(JsonElement Item, int Index)> Array(string name)
    {
        var items = new List<(JsonElement, int)>();
        if (!TryGet(name, out var value))
        {
            return items;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "must be an array");
            return items;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add((item, index++));
        }

        return items;
    }

    private bool TryGet(string name, out JsonElement value)
    {
        _expected.Add(name);
        if (Has(name))
        {
            value = _params.GetProperty(name);
            return true;
        }

        value = default;
        Error(name, "is required");
        return false;
    }

    private bool Has(string name) =>
        _params.ValueKind == JsonValueKind.Object && _params.TryGetProperty(name, out _);

    // Integers may arrive as 8 or 8.0 (some JSON writers emit floats); 8.5 is refused.
    private static bool TryGetInteger(JsonElement value, out long number)
    {
        number = 0;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var d) || d != decimal.Truncate(d))
        {
            return false;
        }

        if (d < long.MinValue || d > long.MaxValue)
        {
            return false;
        }

        number = (long)d;
        return true;
    }

    private static string Describe(JsonElement item) =>
        item.ValueKind == JsonValueKind.String ? $"'{item.GetString()}'" : item.GetRawText();

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Path(string name) => $"params.{name}";
}
