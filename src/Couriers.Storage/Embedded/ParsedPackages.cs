using System.Collections.Concurrent;
using Couriers.Core.Deliveries;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// The pool's packages, parsed once. A package's body never changes once loaded (another body under the
// same id is refused) and packages are never deleted, so a parsed body stays true whichever process
// loaded it: the pool is read as ids from its index and only bodies not seen before are read and parsed.
internal sealed class ParsedPackages
{
    private ConcurrentDictionary<string, Package> _parsed = new(StringComparer.Ordinal);

    // Packages this process has just stored, so the next pool read need not parse them.
    public void Add(IEnumerable<Package> packages)
    {
        var parsed = _parsed;
        foreach (var package in packages) parsed[package.PackageId] = package;
    }

    // Every unassigned package, by id.
    public List<Package> Pool(SqliteConnection db)
    {
        var ids = Query(db, null, $"SELECT p.package_id FROM packages p WHERE {InPool} ORDER BY p.package_id", r => r.GetString(0));
        var parsed = _parsed;
        var missing = ids.Where(id => !parsed.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // Read after the ids, outside their snapshot: harmless, as a listed package's body exists and never changes.
            var bodies = Query(db, null, "SELECT package_id, body FROM package_bodies WHERE package_id IN (SELECT value FROM json_each($ids))",
                r => StorageJson.ReadPackage(r.GetFieldValue<byte[]>(1)), ("$ids", StorageJson.Write(missing)));
            foreach (var package in bodies) parsed[package.PackageId] = package;
        }
        var pool = ids.ConvertAll(id => parsed[id]);
        // Mostly the pool is kept: packages that left it are let go once they outnumber it, and parsed again if
        // they come back (a failed delivery).
        if (parsed.Count > 2 * pool.Count + 1_000)
            _parsed = new ConcurrentDictionary<string, Package>(pool.Select(p => KeyValuePair.Create(p.PackageId, p)), StringComparer.Ordinal);
        return pool;
    }
}
