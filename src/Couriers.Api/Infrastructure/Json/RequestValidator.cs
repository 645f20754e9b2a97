using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Couriers.Api.Infrastructure.Json;

// Walks a value the serializer has read and runs every check on every object in it, naming each bad field.
internal sealed class RequestValidator(JsonSerializerOptions options, FieldChecks checks)
{
    public void Validate(object value, JsonTypeInfo info, string path, FieldErrors errors)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (property.Get?.Invoke(value) is not { } member) continue;
                    var at = FieldErrors.Join(path, property.Name);
                    checks.CheckProperty(property, member, at, errors);
                    Validate(member, options.GetTypeInfo(property.PropertyType), at, errors);
                }
                checks.CheckObject(value, path, errors);
                break;
            case JsonTypeInfoKind.Enumerable when value is IEnumerable items && info.ElementType is { } elementType:
                var element = options.GetTypeInfo(elementType);
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null) Validate(item, element, $"{path}[{index}]", errors);
                    index++;
                }
                checks.CheckObject(value, path, errors);
                break;
        }
    }
}
