namespace Couriers.Api.Infrastructure;

// Every collection answers as {"data": [...], "meta": {...}}: new metadata (totals, links, warnings)
// can be added later without changing the shape clients already parse.
internal sealed record Envelope<T>(IReadOnlyList<T> Data, PageMeta Meta);

internal sealed record PageMeta(int Count, int Limit, string? NextCursor, DateTimeOffset AsOf);
