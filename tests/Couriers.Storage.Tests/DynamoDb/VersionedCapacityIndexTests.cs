using Couriers.Core.Couriers;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Couriers.Storage.DynamoDb;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// States of a courier reach an instance's capacity index from its own writes, its polls and its listings in
/// any order; only a newer state may replace the one held, and a deleted courier stays deleted.
/// </summary>
public sealed class VersionedCapacityIndexTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private readonly VersionedCapacityIndex _index = new(new CapacityIndex());

    private static Courier State(long version, decimal reserved, DateTimeOffset? created = null) =>
        new("c1", 45m, 0m, reserved, version, created ?? Created, (created ?? Created).AddSeconds(version));

    private decimal? Offered() =>
        _index.Index.Lookup(0m, new PageRequest<LookupCursor>(10, null)).Items.SingleOrDefault()?.Courier.AvailableCapacity;

    [Fact]
    public void AnOlderStateArrivingLateNeverReplacesANewerOne()
    {
        Assert.Equal(Applied.Yes, _index.Apply(State(3, reserved: 30m)));

        Assert.Equal(Applied.Older, _index.Apply(State(2, reserved: 20m)));
        Assert.Equal(Applied.AlreadyHeld, _index.Apply(State(3, reserved: 30m)));
        // Another state at the version held: a writer that raced this one; the write is read back instead.
        Assert.Equal(Applied.Older, _index.Apply(State(3, reserved: 25m)));

        Assert.Equal(15m, Offered());
        Assert.Equal(Applied.Yes, _index.Apply(State(4, reserved: 40m)));
        Assert.Equal(5m, Offered());
    }

    [Fact]
    public void AStateOfADeletedCourierArrivingAfterItsDeletionDoesNotBringItBack()
    {
        _index.Apply(State(2, reserved: 10m));

        Assert.True(_index.Remove("c1", Created, version: 3, deletedAt: Created.AddSeconds(3)));
        Assert.Equal(Applied.Older, _index.Apply(State(2, reserved: 10m)));
        Assert.Equal(Applied.Older, _index.Apply(State(3, reserved: 10m)));

        Assert.Null(Offered());
    }

    [Fact]
    public void ACourierCreatedAgainAfterADeleteIsANewerStateWhateverItsVersion()
    {
        _index.Apply(State(7, reserved: 10m));
        _index.Remove("c1", Created, version: 8, deletedAt: Created.AddMinutes(1));

        Assert.Equal(Applied.Yes, _index.Apply(State(1, reserved: 0m, created: Created.AddMinutes(2))));
        // The old incarnation's deletion marker, polled late, is older than the courier now held.
        Assert.False(_index.Remove("c1", Created, version: 8, deletedAt: Created.AddMinutes(1)));

        Assert.Equal(45m, Offered());
    }

    [Fact]
    public void AListingRemovesOnlyCouriersItMissedThatNoWriteChangedSinceItStarted()
    {
        var listedAt = Created.AddMinutes(10);
        _index.Apply(State(1, reserved: 0m) with { Id = "gone" });
        _index.Apply(State(1, reserved: 0m) with { Id = "listed" });
        _index.Apply(State(1, reserved: 0m) with { Id = "new", CreatedAt = listedAt, UpdatedAt = listedAt });

        var removed = _index.RemoveUnlisted(new HashSet<string> { "listed" }, unchangedSince: listedAt.AddSeconds(-2), forgetBefore: Created);

        Assert.Equal(1, removed);
        Assert.Equal(["listed", "new"], _index.Index.Lookup(0m, new PageRequest<LookupCursor>(10, null)).Items.Select(i => i.Id).Order());
    }
}
