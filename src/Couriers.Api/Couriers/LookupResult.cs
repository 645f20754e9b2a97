using System.Text.Json;
using Couriers.Core.Lookup;

namespace Couriers.Api.Couriers;

// A lookup's envelope written straight to the response: each courier's JSON is copied as the index
// keeps it (or, with fields=, written field by field), with the same bytes the serializer would write
// for Envelope<CourierResponse>.
internal sealed class LookupResult(LookupPage page, int limit, DateTimeOffset asOf, CourierFields fields) : IResult
{
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data"), Meta = JsonEncodedText.Encode("meta"),
        Count = JsonEncodedText.Encode("count"), Limit = JsonEncodedText.Encode("limit"),
        NextCursor = JsonEncodedText.Encode("next_cursor"), AsOf = JsonEncodedText.Encode("as_of");

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(Data);
            foreach (var item in page.Items)
            {
                if (fields == CourierFields.All) writer.WriteRawValue(item.Json, skipInputValidation: true);
                else CourierJson.Write(writer, item.Courier, fields);
            }
            writer.WriteEndArray();
            writer.WriteStartObject(Meta);
            writer.WriteNumber(Count, page.Items.Count);
            writer.WriteNumber(Limit, limit);
            if (page.NextCursor is { } cursor) writer.WriteString(NextCursor, cursor);
            else writer.WriteNull(NextCursor);
            writer.WriteString(AsOf, asOf);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
