using Couriers.Core.Lookup;
using Couriers.Core.Paging;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Lookups from this instance's capacity index while its feed is within the freshness bound, with no
/// request to DynamoDB; otherwise (loading, or the feed stopped) from the table's lookup index, so an
/// answer is never older than the bound.
/// </summary>
internal sealed class DynamoCourierLookup(CapacityIndexFeed feed, CourierQueries queries) : ICourierLookup
{
    public async ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (feed.IsFresh) return feed.Index.Lookup(capacityRequired, page);
        var found = await queries.LookupAsync(capacityRequired, page, ct);
        return new LookupPage(found.Items.Select(IndexedCourier.Of).ToList(), found.NextCursor);
    }
}
