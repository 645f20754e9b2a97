using System.Buffers;
using System.Text.Json;
using Couriers.Core.Couriers;

namespace Couriers.Core.Lookup;

/// <summary>A courier's fields in the API's JSON, in the order the API writes them.</summary>
[Flags]
public enum CourierFields
{
    Id = 1 << 0,
    MaxCapacity = 1 << 1,
    AvailableCapacity = 1 << 2,
    UsedCapacity = 1 << 3,
    ReservedCapacity = 1 << 4,
    DeclaredLoad = 1 << 5,
    Version = 1 << 6,
    CreatedAt = 1 << 7,
    UpdatedAt = 1 << 8,
    All = (1 << 9) - 1,
}

/// <summary>
/// A courier's JSON as the API answers it (snake_case, liters, ISO 8601 times), written with
/// Utf8JsonWriter so the capacity index can keep it as bytes and a lookup can pick fields without
/// reflection. Its shape is pinned to the serializer's by a test.
/// </summary>
public static class CourierJson
{
    private static readonly (CourierFields Field, JsonEncodedText Name)[] Names =
    [
        (CourierFields.Id, JsonEncodedText.Encode("id")),
        (CourierFields.MaxCapacity, JsonEncodedText.Encode("max_capacity")),
        (CourierFields.AvailableCapacity, JsonEncodedText.Encode("available_capacity")),
        (CourierFields.UsedCapacity, JsonEncodedText.Encode("used_capacity")),
        (CourierFields.ReservedCapacity, JsonEncodedText.Encode("reserved_capacity")),
        (CourierFields.DeclaredLoad, JsonEncodedText.Encode("declared_load")),
        (CourierFields.Version, JsonEncodedText.Encode("version")),
        (CourierFields.CreatedAt, JsonEncodedText.Encode("created_at")),
        (CourierFields.UpdatedAt, JsonEncodedText.Encode("updated_at")),
    ];

    public static IEnumerable<string> FieldNames => Names.Select(n => n.Name.Value);

    /// <summary>Reads a comma-separated list of field names; the names it does not know are returned, in order.</summary>
    public static CourierFields ParseFields(string list, out List<string> unknown)
    {
        unknown = [];
        var fields = (CourierFields)0;
        foreach (var raw in list.Split(','))
        {
            var name = raw.Trim();
            var match = Array.FindIndex(Names, n => n.Name.Value == name);
            if (match < 0) unknown.Add(name);
            else fields |= Names[match].Field;
        }
        return fields;
    }

    public static byte[] Render(Courier courier)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, courier, CourierFields.All);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, Courier c, CourierFields fields)
    {
        writer.WriteStartObject();
        foreach (var (field, name) in Names)
        {
            if ((fields & field) == 0) continue;
            switch (field)
            {
                case CourierFields.Id: writer.WriteString(name, c.Id); break;
                case CourierFields.MaxCapacity: WriteNullable(writer, name, c.MaxCapacity); break;
                case CourierFields.AvailableCapacity: WriteNullable(writer, name, c.AvailableCapacity); break;
                case CourierFields.UsedCapacity: writer.WriteNumber(name, c.UsedCapacity); break;
                case CourierFields.ReservedCapacity: writer.WriteNumber(name, c.ReservedCapacity); break;
                case CourierFields.DeclaredLoad: writer.WriteNumber(name, c.DeclaredLoad); break;
                case CourierFields.Version: writer.WriteNumber(name, c.Version); break;
                case CourierFields.CreatedAt: writer.WriteString(name, c.CreatedAt); break;
                case CourierFields.UpdatedAt: writer.WriteString(name, c.UpdatedAt); break;
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, decimal? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }
}
