using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Assignment;

// Checks a plan against its request with plain code that shares nothing with the engine:
// rules through IRule.Accepts, volumes as exact decimal liters.
internal static class PlanChecker
{
    public static void Verify(AssignmentRequest request, AssignmentPlan plan)
    {
        var pool = request.Pool.ToDictionary(p => p.PackageId, StringComparer.Ordinal);

        Assert.Equal(request.Drivers.Select(d => d.DriverId), plan.Assignments.Select(a => a.DriverId));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Drivers.Count; i++)
        {
            var driver = request.Drivers[i];
            var ids = plan.Assignments[i].PackageIds;
            Assert.True(ids.Count <= Math.Max(0, driver.Slots), $"{driver.DriverId} holds {ids.Count} packages but has {driver.Slots} slots");
            Assert.Equal(ids.Order(StringComparer.Ordinal), ids);

            var liters = 0m;
            foreach (var id in ids)
            {
                Assert.True(pool.TryGetValue(id, out var package), $"{id} is not in the pool");
                Assert.True(seen.Add(id), $"{id} is assigned twice");
                foreach (var rule in driver.Rules)
                {
                    Assert.True(rule.Accepts(package), $"{driver.DriverId}'s rule {rule.Spec.RuleId} ({rule.Code}) refuses {id}");
                }

                liters += package.VolumeLiters;
            }

            if (driver.RoomLiters is { } room)
            {
                Assert.True(liters <= room, $"{driver.DriverId} holds {liters} L but has room for {room} L");
            }
        }

        Assert.Equal(plan.Unassigned.Order(StringComparer.Ordinal), plan.Unassigned);
        foreach (var id in plan.Unassigned)
        {
            Assert.True(pool.ContainsKey(id), $"unassigned {id} is not in the pool");
            Assert.True(seen.Add(id), $"{id} is both assigned and unassigned, or listed twice");
        }

        Assert.Equal(pool.Count, seen.Count);
        Assert.Equal(plan.Assignments.Sum(a => a.PackageIds.Count), plan.Stats.Assigned);
        Assert.True(plan.Stats.UpperBound >= plan.Stats.Assigned, "the upper bound is below the plan");
    }

    // No unassigned package fits, by rules, slots and room, into any driver as the plan leaves it.
    public static void VerifyMaximal(AssignmentRequest request, AssignmentPlan plan)
    {
        var pool = request.Pool.ToDictionary(p => p.PackageId, StringComparer.Ordinal);
        for (var i = 0; i < request.Drivers.Count; i++)
        {
            var driver = request.Drivers[i];
            var held = plan.Assignments[i].PackageIds;
            if (held.Count >= driver.Slots)
            {
                continue;
            }

            var roomLeft = driver.RoomLiters - held.Sum(id => pool[id].VolumeLiters);
            foreach (var id in plan.Unassigned)
            {
                var package = pool[id];
                var fits = (roomLeft is null || package.VolumeLiters <= roomLeft) && driver.Rules.All(r => r.Accepts(package));
                Assert.False(fits, $"{id} still fits {driver.DriverId}");
            }
        }
    }
}
