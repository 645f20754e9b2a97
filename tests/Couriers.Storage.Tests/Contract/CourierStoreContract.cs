using Couriers.Core.Couriers;
using Couriers.Core.Paging;

namespace Couriers.Storage.Tests.Contract;

/// <summary>
/// What every store adapter must do. An adapter's test class subclasses this and says only how to
/// create a fresh, empty store; every test here then runs against it unchanged.
/// </summary>
public abstract class CourierStoreContract : IAsyncLifetime
{
    private ICourierStore? _store;

    protected ICourierStore Store => _store ?? throw new InvalidOperationException("store not created");

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A new store with no data in it.</summary>
    protected abstract Task<ICourierStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreatedCourierIsReadBackWithAllItsRoomAvailable()
    {
        var result = await Store.CreateAsync(new NewCourier("1234", 45m), Ct);

        Assert.Equal(CreateStatus.Created, result.Status);
        var read = await Store.GetAsync("1234", Ct);
        Assert.NotNull(read);
        Assert.Equal(45m, read.MaxCapacity);
        Assert.Equal(45m, read.AvailableCapacity);
        Assert.Equal(0m, read.UsedCapacity);
    }

    [Fact]
    public async Task UnknownCourierReadsAsNull() => Assert.Null(await Store.GetAsync("nobody", Ct));

    [Fact]
    public async Task CreatingTheSameCourierAgainIsIdempotent()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);

        var again = await Store.CreateAsync(new NewCourier("c1", 10m), Ct);

        Assert.Equal(CreateStatus.AlreadyExists, again.Status);
        Assert.Equal(1, again.Courier.Version);
    }

    [Fact]
    public async Task CreatingAnExistingIdWithAnotherCapacityIsAConflictAndChangesNothing()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);

        var again = await Store.CreateAsync(new NewCourier("c1", 99m), Ct);

        Assert.Equal(CreateStatus.ConflictingDuplicate, again.Status);
        Assert.Equal(10m, (await Store.GetAsync("c1", Ct))!.MaxCapacity);
    }

    [Fact]
    public async Task ListingPagesThroughEveryCourierOnceInIdOrder()
    {
        var ids = Enumerable.Range(0, 7).Select(i => $"c{i}").ToList();
        foreach (var id in ids) await Store.CreateAsync(new NewCourier(id, 5m), Ct);

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Store.ListAsync(new PageRequest<string>(3, after), Ct);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items.Select(c => c.Id));
            after = page.NextCursor is null ? null : Cursors.TryDecode(page.NextCursor);
        } while (after is not null);

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task RaisingMaxCapacityRaisesAvailableRoomAndTheVersion()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);

        var result = await Store.UpdateAsync("c1", new CourierChange(25.5m, null), expectedVersion: 1, Ct);

        Assert.Equal(UpdateStatus.Updated, result.Status);
        Assert.Equal((10m, 1L), (result.Before!.MaxCapacity, result.Before.Version));
        var read = await Store.GetAsync("c1", Ct);
        Assert.Equal(25.5m, read!.AvailableCapacity);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task UpdateAgainstAStaleVersionIsRefusedAndChangesNothing()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);
        await Store.UpdateAsync("c1", new CourierChange(20m, null), null, Ct);

        var stale = await Store.UpdateAsync("c1", new CourierChange(30m, null), expectedVersion: 1, Ct);

        Assert.Equal(UpdateStatus.VersionMismatch, stale.Status);
        Assert.Equal(20m, (await Store.GetAsync("c1", Ct))!.MaxCapacity);
    }

    [Fact]
    public async Task UpdatingAnUnknownCourierSaysNotFound()
    {
        var result = await Store.UpdateAsync("ghost", new CourierChange(5m, null), null, Ct);
        Assert.Equal(UpdateStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task DeclaringAvailableCapacityRecordsTheDifferenceAsUntrackedLoad()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var result = await Store.UpdateAsync("c1", new CourierChange(null, 20m), null, Ct);

        Assert.Equal(UpdateStatus.Updated, result.Status);
        var read = await Store.GetAsync("c1", Ct);
        Assert.Equal(20m, read!.AvailableCapacity);
        Assert.Equal(15m, read.DeclaredLoad);
        Assert.Equal(10m, read.ReservedCapacity);
    }

    [Fact]
    public async Task LoweringMaxCapacityBelowTheLoadInUseIsRefused()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 30m), Ct);

        var result = await Store.UpdateAsync("c1", new CourierChange(20m, null), null, Ct);

        Assert.Equal(UpdateStatus.Refused, result.Status);
        Assert.Equal("max_capacity", result.Field);
        Assert.Equal(45m, (await Store.GetAsync("c1", Ct))!.MaxCapacity);
    }

    [Fact]
    public async Task DeletedCourierIsGone()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);

        var result = await Store.DeleteAsync("c1", null, force: false, Ct);

        Assert.Equal(DeleteStatus.Deleted, result.Status);
        Assert.Null(await Store.GetAsync("c1", Ct));
        Assert.Equal(DeleteStatus.NotFound, (await Store.DeleteAsync("c1", null, false, Ct)).Status);
    }

    [Fact]
    public async Task CourierHoldingReservationsIsDeletedOnlyWhenForced()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 4m), Ct);

        Assert.Equal(DeleteStatus.HasActiveReservations, (await Store.DeleteAsync("c1", null, false, Ct)).Status);
        Assert.Equal(DeleteStatus.Deleted, (await Store.DeleteAsync("c1", null, true, Ct)).Status);

        // The forced delete released the package, so another courier may take it.
        await Store.CreateAsync(new NewCourier("c2", 10m), Ct);
        Assert.Equal(ReserveStatus.Reserved, (await Store.ReserveAsync(new ReservationRequest("c2", "pkg-1", 4m), Ct)).Status);
    }

    [Fact]
    public async Task DeleteAgainstAStaleVersionIsRefused()
    {
        await Store.CreateAsync(new NewCourier("c1", 10m), Ct);
        Assert.Equal(DeleteStatus.VersionMismatch, (await Store.DeleteAsync("c1", 7, false, Ct)).Status);
        Assert.NotNull(await Store.GetAsync("c1", Ct));
    }

    [Fact]
    public async Task LookupReturnsOnlyCouriersWithEnoughRoomBestFitFirst()
    {
        await Store.CreateAsync(new NewCourier("big", 100m), Ct);
        await Store.CreateAsync(new NewCourier("exact", 45m), Ct);
        await Store.CreateAsync(new NewCourier("small", 44.999m), Ct);
        await Store.CreateAsync(new NewCourier("mid", 60m), Ct);

        var page = await Store.LookupAsync(45m, new PageRequest<LookupCursor>(10, null), Ct);

        Assert.Equal(["exact", "mid", "big"], page.Items.Select(c => c.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task LookupWithNoCourierBigEnoughIsEmpty()
    {
        await Store.CreateAsync(new NewCourier("small", 5m), Ct);
        var page = await Store.LookupAsync(6m, new PageRequest<LookupCursor>(10, null), Ct);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task LookupPagesThroughEqualRoomsByIdWithoutRepeatsOrGaps()
    {
        foreach (var (id, max) in new[] { ("a", 10m), ("b", 10m), ("c", 10m), ("d", 12m), ("e", 9m), ("f", 30m) })
            await Store.CreateAsync(new NewCourier(id, max), Ct);

        var seen = new List<string>();
        LookupCursor? after = null;
        do
        {
            var page = await Store.LookupAsync(10m, new PageRequest<LookupCursor>(2, after), Ct);
            seen.AddRange(page.Items.Select(c => c.Id));
            after = page.NextCursor is null ? null : LookupCursor.TryDecode(page.NextCursor);
        } while (after is not null);

        Assert.Equal(["a", "b", "c", "d", "f"], seen);
    }

    [Fact]
    public async Task ReservationTakesRoomAndLookupNoLongerOffersIt()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);

        var result = await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        Assert.Equal(ReserveStatus.Reserved, result.Status);
        Assert.Equal(35m, result.Courier!.AvailableCapacity);
        Assert.Equal(35m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
        Assert.Empty((await Store.LookupAsync(45m, new PageRequest<LookupCursor>(10, null), Ct)).Items);
        Assert.Single((await Store.LookupAsync(35m, new PageRequest<LookupCursor>(10, null), Ct)).Items);
    }

    [Fact]
    public async Task RepeatingAReservationReferenceCountsItOnce()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var again = await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        Assert.Equal(ReserveStatus.AlreadyReserved, again.Status);
        Assert.Equal(35m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task ReusingAReferenceWithAnotherVolumeIsAConflict()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var again = await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 12m), Ct);

        Assert.Equal(ReserveStatus.ReferenceConflict, again.Status);
        Assert.Equal(35m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task ReservationThatDoesNotFitIsRefusedAndTakesNothing()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 40m), Ct);

        var result = await Store.ReserveAsync(new ReservationRequest("c1", "pkg-2", 5.001m), Ct);

        Assert.Equal(ReserveStatus.InsufficientCapacity, result.Status);
        Assert.Equal(5m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
        Assert.Equal(ReserveStatus.Reserved, (await Store.ReserveAsync(new ReservationRequest("c1", "pkg-3", 5m), Ct)).Status);
        Assert.Equal(0m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task ReservationOnAnUnknownCourierSaysNotFound()
    {
        var result = await Store.ReserveAsync(new ReservationRequest("ghost", "pkg-1", 1m), Ct);
        Assert.Equal(ReserveStatus.CourierNotFound, result.Status);
    }

    [Fact]
    public async Task APackageHeldByOneCourierCannotBeReservedOnAnother()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.CreateAsync(new NewCourier("c2", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var result = await Store.ReserveAsync(new ReservationRequest("c2", "pkg-1", 10m), Ct);

        Assert.Equal(ReserveStatus.ReferenceActiveOnOtherCourier, result.Status);
        Assert.Equal("c1", result.OtherCourierId);
        Assert.Equal(45m, (await Store.GetAsync("c2", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task ReleasingAReservationGivesItsRoomBack()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var result = await Store.ReleaseAsync("c1", "pkg-1", Ct);

        Assert.Equal(ReleaseStatus.Released, result.Status);
        Assert.Equal(("pkg-1", 10m), (result.Released!.Reference, result.Released.Volume));
        Assert.Equal(45m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
        Assert.Empty(await Store.ListReservationsAsync("c1", Ct));
        Assert.Equal(ReleaseStatus.NotFound, (await Store.ReleaseAsync("c1", "pkg-1", Ct)).Status);
    }

    [Fact]
    public async Task ActiveReservationsAreListedWithTheirVolumes()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-b", 2.5m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-a", 1.25m), Ct);

        var list = await Store.ListReservationsAsync("c1", Ct);

        Assert.Equal([("pkg-a", 1.25m), ("pkg-b", 2.5m)], list.Select(r => (r.Reference, r.Volume)));
    }

    [Fact]
    public async Task ConcurrentReservationsNeverOverbookAndCountEachReferenceOnce()
    {
        await Store.CreateAsync(new NewCourier("c1", 100m), Ct);

        // 60 writers for 30 distinct references of 5 L each on 100 L: exactly 20 fit.
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => Store.ReserveAsync(new ReservationRequest("c1", $"pkg-{i % 30}", 5m), Ct))));

        Assert.Equal(20, results.Count(r => r.Status == ReserveStatus.Reserved));
        var courier = await Store.GetAsync("c1", Ct);
        Assert.Equal(0m, courier!.AvailableCapacity);
        Assert.Equal(100m, courier.ReservedCapacity);
        Assert.Equal(20, (await Store.ListReservationsAsync("c1", Ct)).Count);
    }

    [Fact]
    public async Task ACourierWithoutMaxCapacityTakesAnyVolumeAndIsNeverOfferedByLookup()
    {
        await Store.CreateAsync(new NewCourier("van", null), Ct);

        var result = await Store.ReserveAsync(new ReservationRequest("van", "pkg-1", 900m), Ct);

        Assert.Equal(ReserveStatus.Reserved, result.Status);
        var read = await Store.GetAsync("van", Ct);
        Assert.Equal(900m, read!.ReservedCapacity);
        Assert.Null(read.AvailableCapacity);
        Assert.Empty((await Store.LookupAsync(1m, new PageRequest<LookupCursor>(10, null), Ct)).Items);
        Assert.Equal(ReleaseStatus.Released, (await Store.ReleaseAsync("van", "pkg-1", Ct)).Status);
        Assert.Equal(0m, (await Store.GetAsync("van", Ct))!.ReservedCapacity);
    }

    [Fact]
    public async Task GivingACourierAMaxCapacityLaterPutsItInLookupWithItsLoadCounted()
    {
        await Store.CreateAsync(new NewCourier("van", null), Ct);
        await Store.ReserveAsync(new ReservationRequest("van", "pkg-1", 15m), Ct);

        await Store.UpdateAsync("van", new CourierChange(40m, null), null, Ct);

        var found = Assert.Single((await Store.LookupAsync(25m, new PageRequest<LookupCursor>(10, null), Ct)).Items);
        Assert.Equal(25m, found.AvailableCapacity);
        Assert.Equal(ReserveStatus.InsufficientCapacity, (await Store.ReserveAsync(new ReservationRequest("van", "pkg-2", 25.001m), Ct)).Status);
    }

    [Fact]
    public async Task ReservedCapacityIsAlwaysTheSumOfTheActiveReservations()
    {
        await Store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        await Store.ReserveAsync(new ReservationRequest("c1", "pkg-2", 2.5m), Ct);
        await Store.ReleaseAsync("c1", "pkg-1", Ct);

        var courier = await Store.GetAsync("c1", Ct);

        Assert.Equal((await Store.ListReservationsAsync("c1", Ct)).Sum(r => r.Volume), courier!.ReservedCapacity);
        Assert.Equal((2.5m, 42.5m, 4L), (courier.ReservedCapacity, courier.AvailableCapacity, courier.Version));
    }

    [Fact]
    public async Task StoreReportsReady() => Assert.True(await Store.IsReadyAsync(Ct));
}
