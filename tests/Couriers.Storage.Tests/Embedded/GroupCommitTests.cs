using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Couriers.Storage.Embedded;
using Couriers.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Embedded;

/// <summary>
/// Concurrent SQLite writes share one transaction and one fsync. These tests hold the writer inside a
/// group's commit (a seam that runs just before COMMIT) while more writes queue, so the next group is
/// known to hold all of them, then let that group commit or fail.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempDirectory _folder = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Store => _provider.GetRequiredService<ICourierStore>();

    private SqliteDatabase Database => _provider.GetRequiredService<SqliteDatabase>();

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = _folder.File("group.db") })
            .Build();
        _provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddCourierStore(configuration).BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AFailedCommitFailsEveryReservationInItsGroupAndStoresNoneOfThem()
    {
        await Store.CreateAsync(new NewCourier("c1", 100m), Ct);
        using var entered = new ManualResetEventSlim();
        using var queued = new ManualResetEventSlim();
        var commits = 0;
        Database.BeforeCommit = () =>
        {
            // The first group waits until the reservations are queued behind it; the second one is theirs, and its commit fails.
            if (Interlocked.Increment(ref commits) == 1) Hold(entered, queued);
            else if (commits == 2) throw new SqliteException("disk I/O error", 10);
        };

        var holder = Store.CreateAsync(new NewCourier("c2", 10m), Ct);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var reservations = Enumerable.Range(0, 10).Select(i => Store.ReserveAsync(new ReservationRequest("c1", $"pkg-{i}", 5m), Ct)).ToList();
        queued.Set();

        Assert.Equal(CreateStatus.Created, (await holder).Status);
        foreach (var reservation in reservations)
            await Assert.ThrowsAsync<StoreUnavailableException>(() => reservation);
        Assert.Empty(await Store.ListReservationsAsync("c1", Ct));
        Assert.Equal(100m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
        var lookup = await _provider.GetRequiredService<ICourierLookup>().LookupAsync(100m, new PageRequest<LookupCursor>(10, null), Ct);
        Assert.Equal(["c1"], lookup.Items.Select(i => i.Id));

        // The writer goes on after the failure: the same reservation, sent again, is taken.
        Assert.Equal(ReserveStatus.Reserved, (await Store.ReserveAsync(new ReservationRequest("c1", "pkg-0", 5m), Ct)).Status);
    }

    [Fact]
    public async Task AWriteThatFailsOrIsRefusedInsideAGroupRollsBackAloneAndTheOthersCommit()
    {
        using var entered = new ManualResetEventSlim();
        using var queued = new ManualResetEventSlim();
        var commits = 0;
        Database.BeforeCommit = () =>
        {
            if (Interlocked.Increment(ref commits) == 1) Hold(entered, queued);
        };

        var holder = Store.CreateAsync(new NewCourier("c0", 10m), Ct);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var first = Database.WriteAsync((db, tx) => InsertCourier(db, tx, "a"), Ct);
        var failing = Database.WriteAsync<int>((db, tx) =>
        {
            InsertCourier(db, tx, "b");
            throw new InvalidOperationException("this write fails after its insert");
        }, Ct);
        var refused = Database.WriteAsync((db, tx) => InsertCourier(db, tx, "c"), Ct, keep: _ => false);
        var last = Database.WriteAsync((db, tx) => InsertCourier(db, tx, "d"), Ct);
        queued.Set();
        await holder;

        Assert.Equal(1, await first);
        Assert.Equal("this write fails after its insert", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(1, await refused); // answered with its result, its insert undone
        Assert.Equal(1, await last);
        Assert.Equal(2, commits);
        foreach (var (id, stored) in new[] { ("a", true), ("b", false), ("c", false), ("d", true) })
            Assert.Equal(stored, await Store.GetAsync(id, Ct) is not null);
        var lookup = await _provider.GetRequiredService<ICourierLookup>().LookupAsync(0m, new PageRequest<LookupCursor>(10, null), Ct);
        Assert.Equal(["a", "d", "c0"], lookup.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task ABulkBatchCommitsInAGroupOfItsOwnAndItsRefusalLeavesTheReservationsAroundIt()
    {
        await Store.CreateAsync(new NewCourier("c1", 100m), Ct);
        var deliveries = _provider.GetRequiredService<IDeliveryStore>();
        await deliveries.AddPackagesAsync([Package("p1", 1m)], Ct);
        using var entered = new ManualResetEventSlim();
        using var queued = new ManualResetEventSlim();
        var commits = 0;
        Database.BeforeCommit = () =>
        {
            if (Interlocked.Increment(ref commits) == 1) Hold(entered, queued);
        };

        var holder = Store.CreateAsync(new NewCourier("c2", 10m), Ct);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var first = Store.ReserveAsync(new ReservationRequest("c1", "ref-a", 5m), Ct);
        // p1 exists with another volume: the whole batch is refused, p2 included.
        var batch = deliveries.AddPackagesAsync([Package("p2", 1m), Package("p1", 2m)], Ct);
        var tooBig = Store.ReserveAsync(new ReservationRequest("c1", "ref-b", 500m), Ct);
        var last = Store.ReserveAsync(new ReservationRequest("c1", "ref-c", 5m), Ct);
        queued.Set();
        await holder;

        Assert.Equal(ReserveStatus.Reserved, (await first).Status);
        Assert.False((await batch).Applied);
        Assert.Equal(ReserveStatus.InsufficientCapacity, (await tooBig).Status);
        Assert.Equal(ReserveStatus.Reserved, (await last).Status);
        Assert.Equal(4, commits); // the holder's group, [ref-a], the batch alone, [ref-b, ref-c]
        Assert.Equal(["ref-a", "ref-c"], (await Store.ListReservationsAsync("c1", Ct)).Select(r => r.Reference));
        var packages = await deliveries.ListPackagesAsync(null, new PageRequest<string>(10, null), Ct);
        Assert.Equal(["p1"], packages.Items.Select(p => p.Package.PackageId));
        Assert.Equal(90m, (await Store.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task TheWriteAheadLogStartsOverWhileReservationsNeverPause()
    {
        const int couriers = 500, perClient = 1500;
        foreach (var i in Enumerable.Range(0, couriers)) await Store.CreateAsync(new NewCourier($"c{i}", 1000m), Ct);
        var first = LogRestarts();
        // Eight clients, each sending its next reservation as soon as the last is answered: a commit lands
        // during every background checkpoint, so only the writer's own pass lets the log start over.
        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var n = 0; n < perClient; n++)
            {
                var result = await Store.ReserveAsync(new ReservationRequest($"c{(client * 7919 + n) % couriers}", $"r{client}-{n}", 0.001m), Ct);
                Assert.Equal(ReserveStatus.Reserved, result.Status);
            }
        })).ToList();
        await Task.WhenAll(clients);

        // Without the writer's pass the log of these 12,000 reservations reached 179 MB.
        Assert.True(LogRestarts() > first, "the log never started over while the writes went on");
        Assert.InRange(new FileInfo(_folder.File("group.db-wal")).Length, 0, 32L << 20);
    }

    // The log header's checkpoint sequence (big-endian, bytes 12-15), which SQLite raises each time it starts the log over.
    private uint LogRestarts()
    {
        using var log = new FileStream(_folder.File("group.db-wal"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[16];
        log.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
    }

    private static int InsertCourier(SqliteConnection db, SqliteTransaction tx, string id)
    {
        using var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO couriers (id, max_ml, declared_ml, reserved_ml, version, created_at, updated_at) " +
            "VALUES ($id, 5000, 0, 0, 1, '2026-11-21T08:00:00.0000000Z', '2026-11-21T08:00:00.0000000Z')";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    }

    /// <summary>Keeps the writer in its first group's commit until the test has queued the next group.</summary>
    private static void Hold(ManualResetEventSlim entered, ManualResetEventSlim queued)
    {
        entered.Set();
        queued.Wait(TimeSpan.FromSeconds(30));
    }

    private static Package Package(string id, decimal volumeM3) => new(id, 1m, false, false, false, Region.North, 1m, null, 4m, 10, volumeM3);

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
