using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;

namespace Couriers.Api.Infrastructure.Json;

// The checks that follow typing: each property's validation attributes, then the object's own
// IValidatableObject (rules that span fields, or need the configured limits). Member names in an
// object's results are JSON paths relative to the object.
internal sealed class FieldChecks(IServiceProvider services)
{
    private static readonly ConcurrentDictionary<JsonPropertyInfo, ValidationAttribute[]> Attributes = new();

    public void CheckProperty(JsonPropertyInfo property, object value, string path, FieldErrors errors)
    {
        var attributes = Attributes.GetOrAdd(property, p =>
            p.AttributeProvider?.GetCustomAttributes(typeof(ValidationAttribute), true).Cast<ValidationAttribute>().ToArray() ?? []);
        foreach (var attribute in attributes)
        {
            if (attribute.GetValidationResult(value, new ValidationContext(value, services, null)) is { ErrorMessage: { } message })
                errors.Add(path, message);
        }
    }

    public void CheckObject(object value, string path, FieldErrors errors)
    {
        if (value is not IValidatableObject validatable) return;
        foreach (var result in validatable.Validate(new ValidationContext(value, services, null)))
        {
            var members = result.MemberNames.DefaultIfEmpty("$");
            foreach (var member in members) errors.Add(FieldErrors.Join(path, member), result.ErrorMessage ?? "is not valid");
        }
    }
}
