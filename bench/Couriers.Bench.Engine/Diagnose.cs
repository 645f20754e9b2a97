using Couriers.Core.Assignment;

namespace Couriers.Bench.Engine;

public static class Diagnose
{
    public static void Run(int seed, TimeSpan budget)
    {
        var request = EngineCases.WithBindingVolume(seed, budget);
        var plan = AssignmentEngine.Plan(request);
        var pool = request.Pool.ToDictionary(p => p.PackageId);
        var unassigned = plan.Unassigned.Select(id => pool[id]).OrderBy(p => p.VolumeM3).ToList();
        decimal leftover = 0, wasted = 0;
        int slotFull = 0, roomBound = 0, fragments = 0, inversions = 0, compatCount = 0; decimal smallestSum = 0;
        for (var i = 0; i < request.Drivers.Count; i++)
        {
            var d = request.Drivers[i];
            var held = plan.Assignments[i].PackageIds.Select(id => pool[id]).ToList();
            var free = d.RoomLiters!.Value - held.Sum(p => p.VolumeLiters);
            leftover += free;
            var smallest = unassigned.FirstOrDefault(p => d.Rules.All(r => r.Accepts(p)));
            if (smallest is not null && held.Count > 0 && held.Max(p => p.VolumeLiters) > smallest.VolumeLiters) inversions++;
            if (smallest is not null) { smallestSum += smallest.VolumeLiters; compatCount++; }
            if (held.Count >= d.Slots) { slotFull++; continue; }
            roomBound++;
            if (smallest is not null) { wasted += free; fragments++; }
        }
        var assignedVolume = plan.Assignments.SelectMany(a => a.PackageIds).Sum(id => pool[id].VolumeLiters);
        Console.WriteLine($"assigned {plan.Stats.Assigned} bound {plan.Stats.UpperBound} gap {plan.Stats.GapPercent:F2}% | slot-full drivers {slotFull}, room-bound {roomBound}");
        Console.WriteLine($"total room {request.Drivers.Sum(d => d.RoomLiters!.Value)} L, assigned volume {assignedVolume} L, leftover {leftover} L, leftover in room-bound drivers {wasted} L");
        Console.WriteLine($"drivers with a smaller compatible unassigned than their largest held: {inversions}; avg smallest compatible unassigned {smallestSum / Math.Max(1, compatCount):F0} L over {compatCount} drivers");
        Console.WriteLine($"avg assigned volume {assignedVolume / plan.Stats.Assigned:F0} L; smallest unassigned {unassigned.First().VolumeLiters} L; largest assigned {plan.Assignments.SelectMany(a => a.PackageIds).Max(id => pool[id].VolumeLiters)} L");
    }
}
