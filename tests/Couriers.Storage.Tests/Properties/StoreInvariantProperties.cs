using Couriers.Core.Assignment;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using FsCheck;
using FsCheck.Fluent;

namespace Couriers.Storage.Tests.Properties;

/// <summary>
/// Property-based tests of the domain on a real store: FsCheck generates random sequences of courier,
/// reservation, driver, package, /assign and status operations over a few ids (so they collide), runs each
/// on a fresh store, and after every step checks the service's invariants: no overbooking, a package active on
/// at most one courier, reserved capacity and the active count equal to what the active assignments add up to,
/// package states agreeing with the assignments, every acknowledged reservation present, and every lookup the
/// API serves (the capacity index) answering exactly as a direct query of the store.
/// Seeded (COURIERS_PROPERTY_SEED) and bounded (COURIERS_PROPERTY_RUNS); a failure is shrunk to a short sequence.
/// </summary>
public abstract class StoreInvariantProperties
{
    protected sealed record Stores(ICourierStore Couriers, IDeliveryStore Deliveries) : IAsyncDisposable
    {
        public Func<ValueTask> Dispose { get; init; } = () => ValueTask.CompletedTask;

        /// <summary>The lookups the API serves (the capacity index where the store feeds one), each checked against the store's own query.</summary>
        public IReadOnlyList<ICourierLookup> Lookups { get; init; } = [];

        /// <summary>Runs before the lookups are checked: an instance that learns of changes by polling catches up here.</summary>
        public Func<Task> BeforeLookups { get; init; } = () => Task.CompletedTask;

        public ValueTask DisposeAsync() => Dispose();
    }

    /// <summary>A new, empty store (one per generated sequence).</summary>
    protected abstract Task<Stores> NewStoresAsync();

    /// <summary>How many sequences to try by default: a DynamoDB step costs more round trips than a SQLite one.</summary>
    protected abstract int DefaultRuns { get; }

    [Fact]
    public void InvariantsHoldAfterEveryStepOfAnyOperationSequence()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("COURIERS_PROPERTY_RUNS"), out var r) ? r : DefaultRuns;
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("COURIERS_PROPERTY_SEED"), out var s) ? s : 20261121UL;
        var config = Config.QuickThrowOnFailure.WithMaxTest(runs).WithReplay(seed, 0x9E3779B97F4A7C15UL | 1);

        // The store is async; FsCheck's properties are not, so each sequence runs to completion on the pool.
        Prop.ForAll(Sequences, ops => Task.Run(() => RunAsync(ops)).GetAwaiter().GetResult()).Check(config);
    }

    // ---- the operations ----

    public abstract record Op;
    public sealed record CreateCourier(int C, decimal Max) : Op;
    public sealed record UpdateCourier(int C, decimal? Max, decimal? Available) : Op;
    public sealed record DeleteCourier(int C, bool Force) : Op;
    public sealed record Reserve(int C, int Ref, decimal Volume) : Op;
    public sealed record Release(int C, int Ref) : Op;
    public sealed record LoadDrivers(int[] Cs, decimal? Max) : Op;
    public sealed record LoadPackages(int[] Ps) : Op;
    public sealed record Assign(int[] Cs, int MaxPerDriver) : Op;
    public sealed record UpdateStatus(int C, int P, AssignmentStatus Status) : Op;

    private const int CourierIds = 3, References = 5, PackageIds = 8;

    private static readonly Gen<int> Courier = Gen.Choose(0, CourierIds - 1);
    private static readonly Gen<int[]> SomeCouriers = Gen.Choose(1, CourierIds).SelectMany(n => Gen.Shuffle(Enumerable.Range(0, CourierIds).ToArray()).Select(a => a.Take(n).ToArray()));
    private static readonly Gen<decimal> Capacity = Gen.Elements(10m, 20m, 50m);
    private static readonly Gen<decimal?> MaybeCapacity = Gen.Elements<decimal?>(null, 10m, 20m, 50m);

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (3, from c in Courier from m in Capacity select (Op)new CreateCourier(c, m)),
        (2, from c in Courier from m in MaybeCapacity from a in Gen.Elements<decimal?>(null, null, 0m, 5m, 15m) select (Op)new UpdateCourier(c, m ?? (a is null ? 20m : null), a)),
        (1, from c in Courier from f in Gen.Elements(false, true) select (Op)new DeleteCourier(c, f)),
        (5, from c in Courier from r in Gen.Choose(0, References - 1) from v in Gen.Elements(1m, 4m, 7m, 12m) select (Op)new Reserve(c, r, v)),
        (3, from c in Courier from r in Gen.Choose(0, References - 1) select (Op)new Release(c, r)),
        (2, from cs in SomeCouriers from m in MaybeCapacity select (Op)new LoadDrivers(cs, m)),
        (2, from n in Gen.Choose(1, 4) from ps in Gen.ArrayOf(Gen.Choose(0, PackageIds - 1), n) select (Op)new LoadPackages(ps.Distinct().ToArray())),
        (3, from cs in SomeCouriers from m in Gen.Choose(1, 3) select (Op)new Assign(cs, m)),
        (4, from c in Courier from p in Gen.Choose(0, PackageIds - 1)
            from s in Gen.Elements(AssignmentStatus.Accepted, AssignmentStatus.InProgress, AssignmentStatus.Delivered, AssignmentStatus.FailedToDeliver, AssignmentStatus.Assigned)
            select (Op)new UpdateStatus(c, p, s)));

    private static readonly Arbitrary<Op[]> Sequences =
        Arb.ToArbitrary(Gen.Choose(1, 25).SelectMany(n => Gen.ArrayOf(AnyOp, n)), (Func<Op[], IEnumerable<Op[]>>)Shrink);

    /// <summary>Shorter sequences first: without one step, then the first half.</summary>
    private static IEnumerable<Op[]> Shrink(Op[] ops)
    {
        if (ops.Length > 2) yield return ops[..(ops.Length / 2)];
        for (var i = ops.Length - 1; i >= 0; i--) yield return [.. ops[..i], .. ops[(i + 1)..]];
    }

    private static string C(int n) => $"c{n}";
    private static string R(int n) => $"ref-{n}";
    private static string P(int n) => $"p{n}";

    private static Package Pkg(int n) => new(P(n), 5m, false, false, false, Region.North, 10m, null, 4m, 10, (n % 4 + 1) * 0.003m);

    private async Task RunAsync(Op[] ops)
    {
        await using var stores = await NewStoresAsync();
        var assignment = new DailyAssignment(stores.Deliveries);
        var expected = new Dictionary<string, string>(); // reference -> the courier an acknowledged reservation put it on
        var ct = CancellationToken.None;
        for (var step = 0; step < ops.Length; step++)
        {
            switch (ops[step])
            {
                case CreateCourier op:
                    await stores.Couriers.CreateAsync(new NewCourier(C(op.C), op.Max), ct);
                    break;
                case UpdateCourier op:
                    await stores.Couriers.UpdateAsync(C(op.C), new CourierChange(op.Max, op.Available), null, ct);
                    break;
                case DeleteCourier op:
                    if ((await stores.Couriers.DeleteAsync(C(op.C), null, op.Force, ct)).Status == DeleteStatus.Deleted)
                        foreach (var gone in expected.Where(e => e.Value == C(op.C)).ToList()) expected.Remove(gone.Key);
                    break;
                case Reserve op:
                    var reserved = await stores.Couriers.ReserveAsync(new ReservationRequest(C(op.C), R(op.Ref), op.Volume), ct);
                    if (reserved.Status is ReserveStatus.Reserved or ReserveStatus.AlreadyReserved) expected[R(op.Ref)] = C(op.C);
                    else if (reserved.Status == ReserveStatus.ReferenceActiveOnOtherCourier)
                        Assert.True(expected.ContainsKey(R(op.Ref)), $"step {step}: {op} refused as held elsewhere, but nothing holds it");
                    break;
                case Release op:
                    if ((await stores.Couriers.ReleaseAsync(C(op.C), R(op.Ref), ct)).Status == ReleaseStatus.Released)
                    {
                        Assert.Equal(C(op.C), expected.GetValueOrDefault(R(op.Ref)));
                        expected.Remove(R(op.Ref));
                    }
                    break;
                case LoadDrivers op:
                    await stores.Deliveries.UpsertDriversAsync(op.Cs.Select(c => new DriverRecord(C(c), [], op.Max)).ToList(), ct);
                    break;
                case LoadPackages op:
                    await stores.Deliveries.AddPackagesAsync(op.Ps.Select(Pkg).ToList(), ct);
                    break;
                case Assign op:
                    await assignment.AssignAsync(op.Cs.Select(C).ToList(), op.MaxPerDriver, new AssignmentOptions(), ct);
                    break;
                case UpdateStatus op:
                    await stores.Deliveries.UpdateStatusAsync(C(op.C), P(op.P), op.Status, ct);
                    break;
            }
            await CheckInvariantsAsync(stores, expected, $"after step {step} ({ops[step]}) of [{string.Join(", ", ops.Take(step + 1))}]");
        }
    }

    private static async Task CheckInvariantsAsync(Stores stores, Dictionary<string, string> expected, string where)
    {
        var ct = CancellationToken.None;
        var activeOn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var courier in await AllAsync<Courier>((after, limit) => stores.Couriers.ListAsync(new PageRequest<string>(limit, after), ct), c => c.Id))
        {
            var active = await stores.Couriers.ListReservationsAsync(courier.Id, ct);
            // 1. No overbooking.
            if (courier.MaxCapacity is { } max) Assert.True(courier.UsedCapacity <= max, $"{courier.Id} overbooked {where}");
            // 3. Reserved room and the active count are what the active assignments add up to.
            Assert.True(active.Sum(a => a.Volume) == courier.ReservedCapacity,
                $"{courier.Id} reserves {courier.ReservedCapacity} L but its active assignments hold {active.Sum(a => a.Volume)} L {where}");
            var counted = (await stores.Deliveries.GetDriverAsync(courier.Id, ct))!.ActiveAssignments;
            Assert.True(counted == active.Count, $"{courier.Id} counts {counted} active assignments but has {active.Count} {where}");
            // 2. A package (or reference) is active on at most one courier.
            foreach (var a in active)
                Assert.True(activeOn.TryAdd(a.Reference, courier.Id), $"{a.Reference} active on {activeOn.GetValueOrDefault(a.Reference)} and {courier.Id} {where}");
        }
        foreach (var package in await AllAsync<StoredPackage>((after, limit) => stores.Deliveries.ListPackagesAsync(null, new PageRequest<string>(limit, after), ct), p => p.Package.PackageId))
        {
            var holder = activeOn.GetValueOrDefault(package.Package.PackageId);
            if (package.Status == PackageStatus.Assigned)
                Assert.True(holder == package.DriverId, $"{package.Package.PackageId} is assigned to {package.DriverId} but active on {holder ?? "nobody"} {where}");
            else
                Assert.True(holder is null, $"{package.Package.PackageId} is {package.Status} but active on {holder} {where}");
        }
        // 4. Every acknowledged reservation not released since is still there, on its courier.
        foreach (var (reference, courierId) in expected)
            Assert.True(activeOn.GetValueOrDefault(reference) == courierId, $"acknowledged {reference} on {courierId} is missing {where}");
        // 5. Every lookup the API serves answers exactly as a direct query of the store: same couriers, states, order,
        // cursors and JSON.
        await stores.BeforeLookups();
        await LookupsMatchStoreAsync(stores.Couriers, stores.Lookups, where);
    }

    private static async Task LookupsMatchStoreAsync(ICourierStore store, IReadOnlyList<ICourierLookup> lookups, string where)
    {
        if (lookups.Count == 0) return;
        var ct = CancellationToken.None;
        foreach (var required in new[] { 0m, 1m, 5m, 10m, 20m, 50m })
        foreach (var limit in new[] { 1, 100 })
        {
            LookupCursor? after = null;
            do
            {
                var direct = await store.LookupAsync(required, new PageRequest<LookupCursor>(limit, after), ct);
                for (var i = 0; i < lookups.Count; i++)
                {
                    var served = await lookups[i].LookupAsync(required, new PageRequest<LookupCursor>(limit, after), ct);
                    var context = $"lookup {required} L, limit {limit}, after {after} via {lookups[i].GetType().Name} #{i} {where}";
                    Assert.True(direct.Items.SequenceEqual(served.Items.Select(s => s.Courier)),
                        $"{context}: store [{string.Join(", ", direct.Items)}] but served [{string.Join(", ", served.Items.Select(s => s.Courier))}]");
                    Assert.True(direct.NextCursor == served.NextCursor, $"{context}: cursor {direct.NextCursor} but served {served.NextCursor}");
                    foreach (var item in served.Items)
                        Assert.True(item.Json.AsSpan().SequenceEqual(CourierJson.Render(item.Courier)), $"{context}: stale JSON for {item.Id}");
                }
                after = direct.NextCursor is { } next ? LookupCursor.TryDecode(next) : null;
            } while (after is not null);
        }
    }

    private static async Task<List<T>> AllAsync<T>(Func<string?, int, Task<Page<T>>> read, Func<T, string> idOf)
    {
        var all = new List<T>();
        string? after = null;
        while (true)
        {
            var page = await read(after, 100);
            all.AddRange(page.Items);
            if (page.NextCursor is null || page.Items.Count == 0) return all;
            after = idOf(page.Items[^1]);
        }
    }
}
