using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Couriers.Storage.Embedded;

// Lists passed to SQLite as one JSON text parameter and expanded by json_each: one statement for a whole
// list instead of one per item. Written directly, since an /assign commit passes 50,000 of them.
internal static class JsonArguments
{
    // ["a","b",...]
    public static string Strings(IEnumerable<string> values) => Encoding.UTF8.GetString(Utf8(json =>
    {
        foreach (var value in values) json.WriteStringValue(value);
    }));

    // [["package","driver",milliliters],...]: accepted assignments, read with value ->> 0, 1 and 2. Returned as
    // UTF-8 and bound as a blob, read with CAST(... AS TEXT): 50,000 items are megabytes, which as a string
    // would be copied twice more (to UTF-16 and back to UTF-8), all in the large-object heap.
    public static byte[] Assignments(IReadOnlyCollection<(string PackageId, string DriverId, long Milliliters)> rows) => Utf8(json =>
    {
        foreach (var (packageId, driverId, milliliters) in rows)
        {
            json.WriteStartArray();
            json.WriteStringValue(packageId);
            json.WriteStringValue(driverId);
            json.WriteNumberValue(milliliters);
            json.WriteEndArray();
        }
    }, 64 * (rows.Count + 1));

    private static byte[] Utf8(Action<Utf8JsonWriter> items, int capacity = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            items(json);
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
