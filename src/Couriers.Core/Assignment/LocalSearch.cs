using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// Time-boxed improvement for the volume-bound case. Moves never break a slot or room limit and
// each one improves (count, −volume) lexicographically: it adds a package, or it keeps the count
// and frees room by swapping a held package for a smaller one, which later insertions can use.
// Packages are tried smallest first and drivers in index order, so the moves made depend only on
// the input, up to the point where the budget stops the search.
internal sealed class LocalSearch
{
    private readonly Problem _problem;
    private readonly Allocation _allocation;
    private readonly ImprovementBudget _budget;
    private readonly int[] _bySize;

    // Smallest volume per class for which "find another driver" failed since the last change.
    // Larger packages of that class nearly always fail too (only the excluded driver differs),
    // so the search skips them: a pruning heuristic that costs at most a missed move.
    private readonly long[] _relocateFailedAt;
    private readonly int[] _candidates;
    private readonly (long Volume, int Package)[] _candidateKeys;
    private readonly List<int> _moved = [];

    public LocalSearch(Problem problem, Allocation allocation, ImprovementBudget budget, int[] bySize)
    {
        _problem = problem;
        _allocation = allocation;
        _budget = budget;
        _bySize = bySize;
        _relocateFailedAt = new long[problem.ClassCount];
        var maxSlots = problem.Slots.DefaultIfEmpty(0).Max();
        _candidates = new int[maxSlots];
        _candidateKeys = new (long, int)[maxSlots];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Run()
    {
        var any = false;
        var improved = true;
        while (improved && !_budget.Exhausted)
        {
            improved = false;
            Array.Fill(_relocateFailedAt, long.MaxValue);
            foreach (var p in _bySize)
            {
                if (_allocation.Owner[p] >= 0 || _problem.ClassDrivers[_problem.ClassOf[p]].Length == 0)
                {
                    continue;
                }

                if (!_budget.TryStep())
                {
                    return any;
                }

                if (TryInsert(p) || TryInsertByRelocating(p) || TrySwapDown(p))
                {
                    improved = any = true;
                    Array.Fill(_relocateFailedAt, long.MaxValue);
                }
            }
        }

        return any;
    }

    // A stronger pass for when the cheap moves and the chains have run out: every unassigned package,
    // smallest first, that fits a compatible driver once several of that driver's packages move out.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int RunRelocatingSeveral()
    {
        var inserted = 0;
        Array.Fill(_relocateFailedAt, long.MaxValue);
        foreach (var p in _bySize)
        {
            if (_allocation.Owner[p] >= 0 || _problem.ClassDrivers[_problem.ClassOf[p]].Length == 0)
            {
                continue;
            }

            if (!_budget.TryStep())
            {
                break;
            }

            if (TryInsertByRelocatingSeveral(p))
            {
                inserted++;
                Array.Fill(_relocateFailedAt, long.MaxValue);
            }
        }

        return inserted;
    }

    private bool TryInsert(int package)
    {
        var d = Placement.ChooseDriver(_problem, _allocation, package);
        if (d < 0)
        {
            return false;
        }

        _allocation.Assign(package, d);
        return true;
    }

    // Frees room (or a slot) in a compatible driver by moving one of its packages to another driver.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryInsertByRelocating(int package)
    {
        var volume = _problem.Volume[package];
        foreach (var d in _problem.ClassDrivers[_problem.ClassOf[package]])
        {
            var room = _allocation.RoomLeft[d];
            if (room != VolumeUnits.Unlimited && room + _allocation.LargestHeld[d] < volume)
            {
                continue;
            }

            var need = room == VolumeUnits.Unlimited ? 0 : volume - room;
            foreach (var q in Candidates(d, need))
            {
                var qClass = _problem.ClassOf[q];
                if (_problem.Volume[q] >= _relocateFailedAt[qClass])
                {
                    continue;
                }

                var target = Placement.ChooseDriver(_problem, _allocation, q, excluded: d);
                if (target < 0)
                {
                    _relocateFailedAt[qClass] = _problem.Volume[q];
                    continue;
                }

                _allocation.Unassign(q);
                _allocation.Assign(q, target);
                _allocation.Assign(package, d);
                return true;
            }
        }

        return false;
    }

    // Frees room in a compatible driver by moving several of its packages out, each to another driver
    // that takes it as it is. Where the unassigned packages are the largest ones and every compatible
    // driver is nearly full, no one package of theirs frees enough room, while two or three do (and
    // free slots too). Smallest first: small packages have the most drivers that can still take them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryInsertByRelocatingSeveral(int package)
    {
        var volume = _problem.Volume[package];
        foreach (var d in _problem.ClassDrivers[_problem.ClassOf[package]])
        {
            var room = _allocation.RoomLeft[d];
            if (room == VolumeUnits.Unlimited || room >= volume || room + _allocation.LargestHeld[d] >= volume)
            {
                continue; // TryInsertByRelocating covers a driver that one package out could open
            }

            var held = Candidates(d, 0);
            long movable = 0;
            foreach (var q in held)
            {
                movable += _problem.Volume[q];
            }

            if (room + movable < volume)
            {
                continue;
            }

            _moved.Clear();
            var tried = 0;
            for (var i = 0; i < held.Length && _allocation.RoomLeft[d] < volume; i++)
            {
                tried++;
                var q = held[i];
                if (_problem.Volume[q] >= _relocateFailedAt[_problem.ClassOf[q]])
                {
                    continue;
                }

                var target = Placement.ChooseDriver(_problem, _allocation, q, excluded: d);
                if (target < 0)
                {
                    _relocateFailedAt[_problem.ClassOf[q]] = _problem.Volume[q];
                    continue;
                }

                _allocation.Unassign(q);
                _allocation.Assign(q, target);
                _moved.Add(q);
            }

            _budget.TryStep(tried / 16);
            if (_allocation.Fits(package, d))
            {
                _allocation.Assign(package, d);
                return true;
            }

            // Undone in reverse, so each package returns to a driver that has its room back.
            for (var i = _moved.Count - 1; i >= 0; i--)
            {
                _allocation.Unassign(_moved[i]);
                _allocation.Assign(_moved[i], d);
            }
        }

        return false;
    }

    // The driver's packages of at least the needed volume, smallest first (ties by id), in a reused
    // buffer: this runs for every (package, driver) pair the search visits, so it must not allocate.
    private ReadOnlySpan<int> Candidates(int driver, long need)
    {
        var count = 0;
        foreach (var q in _allocation.Held[driver])
        {
            if (_problem.Volume[q] >= need)
            {
                _candidateKeys[count] = (_problem.Volume[q], q);
                _candidates[count++] = q;
            }
        }

        _candidateKeys.AsSpan(0, count).Sort(_candidates.AsSpan(0, count));
        return _candidates.AsSpan(0, count);
    }

    // Gives the package to the compatible driver holding the largest bigger package, which returns to the pool.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TrySwapDown(int package)
    {
        var volume = _problem.Volume[package];
        int best = -1;
        long largest = volume;
        foreach (var d in _problem.ClassDrivers[_problem.ClassOf[package]])
        {
            if (_allocation.LargestHeld[d] > largest)
            {
                largest = _allocation.LargestHeld[d];
                best = d;
            }
        }

        if (best < 0)
        {
            return false;
        }

        var swapped = _allocation.Held[best].Where(q => _problem.Volume[q] == largest).Min();
        _allocation.Unassign(swapped);
        _allocation.Assign(package, best);
        return true;
    }
}
