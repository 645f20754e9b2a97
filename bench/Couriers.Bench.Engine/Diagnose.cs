using Couriers.Core.Assignment;

namespace Couriers.Bench.Engine;

// Where does the gap of the binding-volume case come from: packages left behind, or slack in the bound?
public static class Diagnose
{
    public static void Run(int seed, TimeSpan budget)
    {
        var request = EngineCases.WithBindingVolume(seed, budget);
        var plan = AssignmentEngine.Plan(request);
        var pool = request.Pool.ToDictionary(p => p.PackageId, StringComparer.Ordinal);
        var unassigned = plan.Unassigned.Select(id => pool[id]).OrderBy(p => p.VolumeM3).ToList();

        decimal totalRoom = 0, leftover = 0, leftoverRoomBound = 0, smallestSum = 0;
        int slotFull = 0, inversions = 0, withCandidate = 0;
        for (var i = 0; i < request.Drivers.Count; i++)
        {
            var driver = request.Drivers[i];
            var held = plan.Assignments[i].PackageIds.Select(id => pool[id]).ToList();
            var room = driver.RoomLiters ?? 0m;
            var free = room - held.Sum(p => p.VolumeLiters);
            totalRoom += room;
            leftover += free;

            var smallest = unassigned.FirstOrDefault(p => driver.Rules.All(r => r.Accepts(p)));
            if (smallest is not null)
            {
                withCandidate++;
                smallestSum += smallest.VolumeLiters;
                inversions += held.Any(p => p.VolumeLiters > smallest.VolumeLiters) ? 1 : 0;
            }

            if (held.Count >= driver.Slots)
            {
                slotFull++;
            }
            else if (smallest is not null)
            {
                leftoverRoomBound += free;
            }
        }

        Console.WriteLine($"assigned {plan.Stats.Assigned}, bound {plan.Stats.UpperBound}, gap {plan.Stats.GapPercent:F2}%, slot-full drivers {slotFull}");
        Console.WriteLine($"room {totalRoom} L, left {leftover} L, left in room-bound drivers {leftoverRoomBound} L");
        Console.WriteLine($"drivers holding a package larger than an unassigned one they accept: {inversions}");
        Console.WriteLine($"average smallest unassigned package a driver accepts: {smallestSum / Math.Max(1, withCandidate):F0} L over {withCandidate} drivers");
    }
}
