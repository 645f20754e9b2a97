namespace Couriers.Core.Assignment;

// Mutable working state of a plan: who holds which package, and what each driver has left.
internal sealed class Allocation
{
    private readonly Problem _problem;

    public Allocation(Problem problem)
    {
        _problem = problem;
        Owner = Enumerable.Repeat(-1, problem.PackageCount).ToArray();
        Held = Enumerable.Range(0, problem.DriverCount).Select(_ => new List<int>()).ToArray();
        SlotsLeft = (int[])problem.Slots.Clone();
        RoomLeft = (long[])problem.Room.Clone();
        LargestHeld = new long[problem.DriverCount];
    }

    public int[] Owner { get; }

    public List<int>[] Held { get; }

    public int[] SlotsLeft { get; }

    // Milliliters left; may go negative only transiently, while a repair is pending.
    public long[] RoomLeft { get; }

    // Volume of each driver's largest package (0 when empty), kept current for the swap search.
    public long[] LargestHeld { get; }

    public int Assigned { get; private set; }

    public long AssignedVolume { get; private set; }

    public bool Fits(int package, int driver) =>
        SlotsLeft[driver] > 0 && RoomLeft[driver] >= _problem.Volume[package];

    public void Assign(int package, int driver)
    {
        Owner[package] = driver;
        Held[driver].Add(package);
        SlotsLeft[driver]--;
        if (RoomLeft[driver] != VolumeUnits.Unlimited)
        {
            RoomLeft[driver] -= _problem.Volume[package];
        }

        LargestHeld[driver] = Math.Max(LargestHeld[driver], _problem.Volume[package]);
        AssignedVolume += _problem.Volume[package];
        Assigned++;
    }

    public void Unassign(int package)
    {
        var driver = Owner[package];
        Owner[package] = -1;
        Held[driver].Remove(package);
        SlotsLeft[driver]++;
        if (RoomLeft[driver] != VolumeUnits.Unlimited)
        {
            RoomLeft[driver] += _problem.Volume[package];
        }

        if (_problem.Volume[package] == LargestHeld[driver])
        {
            long largest = 0;
            foreach (var p in Held[driver])
            {
                largest = Math.Max(largest, _problem.Volume[p]);
            }

            LargestHeld[driver] = largest;
        }

        AssignedVolume -= _problem.Volume[package];
        Assigned--;
    }

    public bool AnyOverfull() => RoomLeft.Any(r => r < 0);
}
