using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// The daily assignment on DynamoDB. Drivers are items of the couriers table and assignments the
// same DeliveryAssignments items as reservations, so a driver's room is one number whichever API
// took it. Batches are validated against one consistent read before anything is written.
internal sealed class DynamoDbDeliveryStore(DynamoContext db, AssignmentCommitter committer, CapacityIndexFeed index) : IDeliveryStore
{
    public async Task<BatchResult> UpsertDriversAsync(IReadOnlyList<DriverRecord> drivers, CancellationToken ct)
    {
        var now = db.Now;
        var read = (await db.BatchGetAsync(db.Couriers, drivers.Select(d => d.Id).Distinct().Select(id => Key(CourierTable.Id, id)), ct))
            .ToDictionary(item => item.Str(CourierTable.Id)!);
        // Items are applied in order on a local copy, as one transaction would see them.
        var state = read.ToDictionary(pair => pair.Key, pair => (Courier: (Courier?)ToCourier(pair.Value), Rules: pair.Value.Str(CourierTable.Rules)));
        var conflicts = new Dictionary<string, string>();
        int created = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < drivers.Count; i++)
        {
            var driver = drivers[i];
            var rules = StorageJson.Write(driver.Rules);
            if (!state.TryGetValue(driver.Id, out var current) || current.Courier is null)
            {
                state[driver.Id] = (new Courier(driver.Id, driver.MaxCapacity, 0m, 0m, 1, now, now), rules);
                created++;
                continue;
            }
            if (current.Rules == rules && (driver.MaxCapacity ?? current.Courier.MaxCapacity) == current.Courier.MaxCapacity) { unchanged++; continue; }
            var change = new CourierChange(driver.MaxCapacity, null).ApplyTo(current.Courier, now);
            if (change.Updated is null) { conflicts[$"[{i}].max_capacity"] = change.Error!; continue; }
            state[driver.Id] = (change.Updated, rules);
            updated++;
        }
        // All or nothing: a refused item leaves the whole batch unwritten.
        if (conflicts.Count > 0) return new BatchResult(created, updated, unchanged, conflicts);

        var late = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var lastIndex = drivers.Select((d, i) => (d.Id, i)).GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.Last().i);
        await Parallel.ForEachAsync(state.Where(pair => !read.TryGetValue(pair.Key, out var before) || !SameAs(before, pair.Value)),
            new ParallelOptions { MaxDegreeOfParallelism = db.Options.WriteParallelism, CancellationToken = ct },
            async (pair, token) =>
            {
                var error = await WriteDriverAsync(pair.Key, read.GetValueOrDefault(pair.Key), pair.Value.Courier!.MaxCapacity, pair.Value.Rules!, now, token);
                if (error is not null) late[$"[{lastIndex[pair.Key]}].max_capacity"] = error;
            });
        return new BatchResult(created, updated, unchanged, late);
    }

    private static bool SameAs(Dictionary<string, AttributeValue> before, (Courier? Courier, string? Rules) after) =>
        before.Str(CourierTable.Rules) == after.Rules && ToCourier(before).MaxCapacity == after.Courier?.MaxCapacity;

    // Creates with a conditional put (never a blind batch put: a courier created meanwhile through
    // POST /couriers, with reservations, must not be overwritten), updates by version, first against
    // the batch's own read. A change that a concurrent reservation made impossible after validation
    // comes back as an error.
    private async Task<string?> WriteDriverAsync(string id, Dictionary<string, AttributeValue>? item, decimal? max, string rules,
        DateTimeOffset now, CancellationToken ct)
    {
        for (var tries = 0; tries < 10; tries++)
        {
            if (tries > 0) item = await db.GetAsync(db.Couriers, Key(CourierTable.Id, id), ct);
            if (item is null)
            {
                var created = NewCourierItem(id, max, rules, now, db.Options.LookupShards);
                if (!(await db.PutAsync(db.Couriers, created, "attribute_not_exists(#id)", null, ct)).Applied) continue;
                await index.WrittenAsync(ToCourier(created), ct);
                return null;
            }
            var current = ToCourier(item);
            var change = new CourierChange(max, null).ApplyTo(current, now);
            if (change.Updated is null) return change.Error;
            if (await CourierChanges.WriteAsync(db, current, change.Updated, rules, ct))
            {
                await index.WrittenAsync(change.Updated, ct);
                return null;
            }
        }
        throw new StoreContentionException($"Driver '{id}' kept changing; it was not written.");
    }

    public async Task<DriverView?> GetDriverAsync(string id, CancellationToken ct) => (await GetDriversAsync([id], ct)).FirstOrDefault();

    public async Task<IReadOnlyList<DriverView>> GetDriversAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var items = (await db.BatchGetAsync(db.Couriers, ids.Distinct().Select(id => Key(CourierTable.Id, id)), ct))
            .ToDictionary(item => item.Str(CourierTable.Id)!);
        return ids.Where(items.ContainsKey).Select(id =>
        {
            var item = items[id];
            var rules = item.Str(CourierTable.Rules) is { } json ? StorageJson.Read<List<RuleSpec>>(json) : [];
            return new DriverView(ToCourier(item), rules, item.ActiveCount());
        }).ToList();
    }

    // Validates the whole batch against one consistent read, then writes the new packages with
    // BatchWriteItem. A blind put is safe here because a package item is not a lock (claims are):
    // the worst a reservation racing the load of its package can do is leave a claimed package in the
    // pool, where /assign fails to claim it and takes it out for its holder. A package whose reference
    // was reserved before it arrived joins its holder, in a transaction that checks the claim still
    // stands. A crash mid-batch leaves some packages written; sending the batch again writes the rest.
    public async Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct)
    {
        var ids = packages.Select(p => p.PackageId).Distinct().ToList();
        var storedTask = db.BatchGetAsync(db.Packages, ids.Select(id => Key(PackageTable.PackageId, id)), ct);
        var claimsTask = db.BatchGetAsync(db.Claims, ids.Select(id => Key(ClaimTable.PackageId, id)), ct);
        var stored = (await storedTask).ToDictionary(item => item.Str(PackageTable.PackageId)!, item => item.Str(PackageTable.Body));
        var holders = (await claimsTask).ToDictionary(c => c.Str(ClaimTable.PackageId)!, c => c.Str(ClaimTable.Holder)!);

        var now = db.Now;
        var conflicts = new Dictionary<string, string>();
        var writes = new List<WriteRequest>();
        var joining = new List<(Dictionary<string, AttributeValue> Item, string Holder)>();
        int created = 0, unchanged = 0;
        for (var i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var body = StorageJson.Write(package);
            if (stored.TryGetValue(package.PackageId, out var existing))
            {
                if (existing == body) unchanged++;
                else conflicts[$"[{i}].package_id"] = $"package '{package.PackageId}' already exists with other attributes";
                continue;
            }
            stored[package.PackageId] = body;
            var holder = holders.GetValueOrDefault(package.PackageId);
            var item = PackageItem(package, body, holder, now, db.Options.StatusShards);
            if (holder is null) writes.Add(new WriteRequest(new PutRequest(item)));
            else joining.Add((item, holder));
            created++;
        }
        if (conflicts.Count > 0) return new BatchResult(created, 0, unchanged, conflicts);
        await new BatchWriter(db).WriteAsync(db.Packages, writes, ct);
        foreach (var (item, holder) in joining) await JoinHolderAsync(item, holder, now, ct);
        return new BatchResult(created, 0, unchanged, conflicts);
    }

    // Writes a package as its claim's holder's, or in the pool if that claim was released meanwhile.
    private async Task JoinHolderAsync(Dictionary<string, AttributeValue> item, string holder, DateTimeOffset now, CancellationToken ct)
    {
        var packageId = item.Str(PackageTable.PackageId)!;
        var joined = await db.TransactAsync([
            TransactItems.Check(db.Claims, Key(ClaimTable.PackageId, packageId), "#holder = :holder", new() { [":holder"] = S(holder) }),
            TransactItems.Put(db.Packages, item, "attribute_not_exists(#package_id)")], $"the load of package '{packageId}'", ct);
        if (joined.Committed || joined.Failed(1)) return;
        var pooled = PackageItem(StorageJson.Read<Package>(item.Str(PackageTable.Body)!), item.Str(PackageTable.Body)!, null, now, db.Options.StatusShards);
        await db.PutAsync(db.Packages, pooled, "attribute_not_exists(#package_id)", null, ct);
    }

    public async Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct)
    {
        var statuses = status is { } s ? [PackageStates.Of(s)] : new[] { PackageStates.Unassigned, PackageStates.Assigned, PackageStates.Delivered };
        var shards = statuses.SelectMany(st => Enumerable.Range(0, db.Options.StatusShards).Select(k => $"{st}#{k}"));
        var results = await Task.WhenAll(shards.Select(async shard =>
        {
            var items = new List<Dictionary<string, AttributeValue>>();
            await foreach (var batch in db.QueryPagesAsync(StatusQuery(shard, page.After, page.Limit + 1), ct))
            {
                items.AddRange(batch);
                if (items.Count > page.Limit) break;
            }
            return items;
        }));
        var rows = results.SelectMany(r => r).Select(ToStoredPackage)
            .OrderBy(p => p.Package.PackageId, StringComparer.Ordinal).Take(page.Limit + 1).ToList();
        if (rows.Count <= page.Limit) return new Page<StoredPackage>(rows, null);
        rows.RemoveAt(page.Limit);
        return new Page<StoredPackage>(rows, Cursors.Encode(rows[^1].Package.PackageId));
    }

    public async Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, db.Options.StatusShards).Select(k =>
            db.QueryAllAsync(StatusQuery($"{PackageStates.Unassigned}#{k}", null, null), ct)));
        return results.SelectMany(r => r)
            .Select(item => StorageJson.Read<Package>(item.Str(PackageTable.Body)!))
            .OrderBy(p => p.PackageId, StringComparer.Ordinal)
            .ToList();
    }

    public Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct) =>
        committer.CommitAsync(plan, maxPerDriver, ct);

    public Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct) =>
        committer.UpdateStatusAsync(driverId, packageId, status, ct);

    private QueryRequest StatusQuery(string shard, string? after, int? limit)
    {
        var values = new Dictionary<string, AttributeValue> { [":shard"] = S(shard) };
        var condition = "#status_shard = :shard";
        if (after is not null)
        {
            values[":after"] = S(after);
            condition += " AND #package_id > :after";
        }
        return new QueryRequest
        {
            TableName = db.Packages, IndexName = PackageTable.ByStatus, KeyConditionExpression = condition,
            ExpressionAttributeValues = values, Limit = limit,
        };
    }
}
