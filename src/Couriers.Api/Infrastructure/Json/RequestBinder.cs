using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Couriers.Api.Infrastructure.Json;

// The reader's second pass, for a body the serializer refused: each field is read on its own against
// its property's type, so the answer names every bad field (an unknown name, a wrong type, a missing
// required field), not only the first the serializer met. Fields that read are checked as usual.
internal sealed class RequestBinder(JsonSerializerOptions options, FieldChecks checks)
{
    public const string NotUnicode = "contains text that is not valid Unicode (a lone surrogate or invalid UTF-8)";

    // The value when this part of the body read without error, else null.
    public object? Bind(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors) => info.Kind switch
    {
        JsonTypeInfoKind.Object => BindObject(element, info, path, errors),
        JsonTypeInfoKind.Enumerable => BindArray(element, info, path, errors),
        _ => BindValue(element, info, path, errors),
    };

    private object? BindObject(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be a JSON object");
            return null;
        }
        var before = errors.Count;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            // Duplicate keys are ambiguous (which one wins differs between parsers), so they are refused.
            if (!names.Add(field.Name)) errors.Add(FieldErrors.Join(path, field.Name), "is given more than once");
            else if (!info.Properties.Any(p => p.Name == field.Name)) errors.Add(FieldErrors.Join(path, field.Name), "is not a known field");
        }
        foreach (var property in info.Properties)
        {
            var at = FieldErrors.Join(path, property.Name);
            if (!element.TryGetProperty(property.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (property.IsRequired) errors.Add(at, "is required");
                continue;
            }
            if (Bind(value, options.GetTypeInfo(property.PropertyType), at, errors) is { } member) checks.CheckProperty(property, member, at, errors);
        }
        return errors.Count == before ? Whole(element, info, path, errors) : null;
    }

    private object? BindArray(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be a JSON array");
            return null;
        }
        var before = errors.Count;
        var item = options.GetTypeInfo(info.ElementType!);
        var index = 0;
        foreach (var value in element.EnumerateArray()) Bind(value, item, $"{path}[{index++}]", errors);
        return errors.Count == before ? Whole(element, info, path, errors) : null;
    }

    private static object? BindValue(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors)
    {
        try
        {
            return element.Deserialize(info);
        }
        catch (JsonException e)
        {
            errors.Add(path, WrongValue(info.Type, element, e));
            return null;
        }
    }

    // Every part read: the object as a whole, and its own checks (which may span fields).
    private object? Whole(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors)
    {
        try
        {
            var value = element.Deserialize(info)!;
            checks.CheckObject(value, path, errors);
            return value;
        }
        catch (JsonException e)
        {
            errors.Add(path, $"could not be read: {e.Message}");
            return null;
        }
    }

    // What a field of this type must be, said the way clients read it.
    private static string WrongValue(Type type, JsonElement element, JsonException e)
    {
        if (element.ValueKind == JsonValueKind.String && !IsText(element)) return NotUnicode;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(Id)) return e.Message;
        if (underlying == typeof(decimal) || underlying == typeof(double))
            return element.ValueKind == JsonValueKind.Number ? "is too large or too precise to be a quantity" : "must be a number";
        if (underlying == typeof(int) || underlying == typeof(long)) return "must be a whole number";
        if (underlying == typeof(bool)) return "must be true or false";
        if (underlying == typeof(string)) return "must be a string";
        return "has the wrong type";
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
