using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;

namespace Couriers.Storage.DynamoDb;

// Lookups from this instance's capacity index while its feed is within the freshness bound, with no
// request to DynamoDB; otherwise (loading, or the feed stopped) from the table's lookup index, so an
// answer is never older than the bound. Lookups by package read the table: the feed carries no rules.
internal sealed class DynamoCourierLookup(CapacityIndexFeed feed, CourierQueries queries, ICourierStore store, IDeliveryStore drivers) : ICourierLookup
{
    private readonly StoreCourierLookup _byPackage = new(store, drivers);

    public async ValueTask<LookupPage> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (feed.IsFresh) return feed.Index.Lookup(capacityRequired, page);
        var found = await queries.LookupAsync(capacityRequired, page, ct);
        return new LookupPage(found.Items.Select(IndexedCourier.Of).ToList(), found.NextCursor, FromStore: true);
    }

    public ValueTask<LookupPage> LookupForAsync(Package package, PageRequest<LookupCursor> page, CancellationToken ct) =>
        _byPackage.LookupForAsync(package, page, ct);
}
