namespace Couriers.Core.Assignment;

internal static class Explainer
{
    public static List<UnassignedExplanation> Explain(Problem problem, Allocation allocation)
    {
        var result = new List<UnassignedExplanation>();
        var eliminations = new Dictionary<int, IReadOnlyList<RuleElimination>>();
        for (var p = 0; p < problem.PackageCount; p++)
        {
            if (allocation.Owner[p] >= 0)
            {
                continue;
            }

            var c = problem.ClassOf[p];
            var compatible = problem.ClassDrivers[c];
            var id = problem.Packages[p].PackageId;
            if (compatible.Length == 0)
            {
                if (!eliminations.TryGetValue(c, out var eliminated))
                {
                    eliminated = Eliminations(problem, p);
                    eliminations[c] = eliminated;
                }

                result.Add(new UnassignedExplanation(id, UnassignedReason.NoDriverAccepts, 0, eliminated, null));
                continue;
            }

            var withSlots = compatible.Where(d => allocation.SlotsLeft[d] > 0).ToArray();
            if (withSlots.Length == 0)
            {
                result.Add(new UnassignedExplanation(
                    id, UnassignedReason.CompatibleDriversFull, compatible.Length, [], null));
                continue;
            }

            var largestRoom = withSlots.Max(d => allocation.RoomLeft[d]);
            result.Add(new UnassignedExplanation(
                id,
                UnassignedReason.TooLargeForCompatibleDrivers,
                compatible.Length,
                [],
                largestRoom == VolumeUnits.Unlimited ? null : VolumeUnits.Liters(largestRoom)));
        }

        return result;
    }

    // Every package of a class fails the same rules, so one representative package answers for the class;
    // every driver of a group carries the same rules, so one representative driver answers for the group.
    private static List<RuleElimination> Eliminations(Problem problem, int package)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < problem.GroupCount; g++)
        {
            var drivers = problem.GroupDrivers[g];
            var codes = problem.Drivers[drivers[0]].Rules
                .Where(r => !r.Accepts(problem.Packages[package]))
                .Select(r => r.Code)
                .Distinct(StringComparer.Ordinal);
            foreach (var code in codes)
            {
                counts[code] = counts.GetValueOrDefault(code) + drivers.Length;
            }
        }

        return counts
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new RuleElimination(kv.Key, kv.Value))
            .ToList();
    }
}
