using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Couriers.Core.Couriers;

namespace Couriers.Api.Infrastructure.Json;

// An id as clients send it: a string of the id alphabet, or a whole JSON number (the Stuart API's seed
// sends 1234), stored as its decimal string. Its converter is where both forms are read and checked,
// and the OpenAPI document describes it once (string or integer).
[JsonConverter(typeof(IdConverter))]
internal readonly record struct Id(string Value)
{
    public static implicit operator string(Id id) => id.Value;

    public override string ToString() => Value;
}

internal sealed class IdConverter : JsonConverter<Id>
{
    public const string WrongType = "must be a string or a non-negative whole number";

    public override Id Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? id = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number when reader.TryGetInt64(out var n) && n >= 0 => n.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        if (id is null) throw new JsonException(WrongType);
        return Identifiers.Problem(id) is { } problem ? throw new JsonException(problem) : new Id(id);
    }

    public override void Write(Utf8JsonWriter writer, Id value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
