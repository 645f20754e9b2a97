using Couriers.Core.Couriers;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;

namespace Couriers.Core.Tests.Lookup;

public sealed class CapacityIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static Courier Courier(string id, decimal? max, decimal reserved = 0m, long version = 1) =>
        new(id, max, 0m, reserved, version, Now, Now);

    [Fact]
    public void AnyMixOfUpsertsAndRemovalsAnswersEveryLookupAsSortingTheCouriersWould()
    {
        // Hundreds of couriers, so the tree rebalances on every path; seeded so a failure repeats.
        var random = new Random(20261121);
        var index = new CapacityIndex();
        var model = new Dictionary<string, Courier>();
        for (var step = 0; step < 4000; step++)
        {
            var id = $"c{random.Next(300)}";
            if (random.Next(5) == 0)
            {
                index.Remove(id);
                model.Remove(id);
            }
            else
            {
                var courier = Courier(id, random.Next(8) == 0 ? null : random.Next(1, 40), random.Next(0, 3) * 0.5m, step);
                index.Upsert(courier);
                if (courier.MaxCapacity is null) model.Remove(id);
                else model[id] = courier;
            }
            if (step % 200 == 0) index.Reset(model.Values);
            if (step % 50 == 0) AssertAnswersLikeSorting(index, model, required: random.Next(0, 42), limit: random.Next(1, 40));
        }
        Assert.Equal(model.Count, index.Count);
    }

    [Fact]
    public void TheCursorContinuesAfterTheLastCourierOfThePage()
    {
        var index = new CapacityIndex();
        index.Reset([Courier("a", 10m), Courier("b", 10m), Courier("c", 20m), Courier("d", 5m)]);

        var first = index.Lookup(10m, new PageRequest<LookupCursor>(2, null));
        var second = index.Lookup(10m, new PageRequest<LookupCursor>(2, LookupCursor.TryDecode(first.NextCursor!)));

        Assert.Equal(["a", "b"], first.Items.Select(i => i.Id));
        Assert.Equal(["c"], second.Items.Select(i => i.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public void AReaderKeepsTheSnapshotItStartedFrom()
    {
        var index = new CapacityIndex();
        index.Reset([Courier("a", 10m)]);
        var before = index.Lookup(0m, new PageRequest<LookupCursor>(10, null));

        index.Upsert(Courier("a", 10m, reserved: 4m, version: 2));

        Assert.Equal(10m, before.Items.Single().Courier.AvailableCapacity);
        Assert.Equal(6m, index.Lookup(0m, new PageRequest<LookupCursor>(10, null)).Items.Single().Courier.AvailableCapacity);
    }

    private static void AssertAnswersLikeSorting(CapacityIndex index, Dictionary<string, Courier> model, decimal required, int limit)
    {
        var expected = model.Values.Where(c => c.AvailableCapacity >= required)
            .OrderBy(c => c.AvailableCapacity).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();
        var served = new List<string>();
        LookupCursor? after = null;
        do
        {
            var page = index.Lookup(required, new PageRequest<LookupCursor>(limit, after));
            Assert.True(page.Items.Count <= limit);
            served.AddRange(page.Items.Select(i => i.Id));
            after = page.NextCursor is { } next ? LookupCursor.TryDecode(next) : null;
        } while (after is not null);
        Assert.Equal(expected, served);
    }
}
