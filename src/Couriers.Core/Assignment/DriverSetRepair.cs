using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// Destroy and repair a few drivers at a time, exactly: their packages and the smallest unassigned
// packages they accept are re-packed by branch and bound, and a packing with more packages replaces
// theirs. Items are tried smallest first, so the first leaf is the greedy packing. Two bounds prune: how
// many of the remaining smallest items fit the room and slots left in total, and the sum over drivers of
// how many of the remaining items each accepts would fit it alone. A node cap bounds the work.
internal sealed class DriverSetRepair
{
    private const int UnassignedPerSlot = 2;

    private readonly Problem _problem;
    private readonly Allocation _allocation;
    private readonly Moves _moves;
    private readonly List<int> _items = [];
    private readonly HashSet<int> _seen = [];
    private int[] _itemMask = [];
    private long[] _prefix = [];
    private int[] _choice = [];
    private int[] _best = [];
    private long[] _room = [];
    private int[] _slots = [];
    private int[] _drivers = [];
    private int _bestCount;
    private int _nodes;
    private bool _cut;

    public DriverSetRepair(Problem problem, Allocation allocation, Moves moves)
    {
        _problem = problem;
        _allocation = allocation;
        _moves = moves;
    }

    public int MaxNodes { get; init; } = 4_000;

    public int LastWork { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryImprove(int[] drivers)
    {
        _drivers = drivers;
        Gather();
        var current = drivers.Sum(d => _allocation.Held[d].Count);
        var n = _items.Count;
        _prefix = new long[n + 1];
        for (var i = 0; i < n; i++)
        {
            _prefix[i + 1] = _prefix[i] + _problem.Volume[_items[i]];
        }

        _choice = new int[n];
        _best = new int[n];
        _room = drivers.Select(d => _problem.Room[d]).ToArray();
        _slots = drivers.Select(d => _problem.Slots[d]).ToArray();
        _bestCount = current;
        _nodes = 0;
        _cut = false;
        var found = Search(0, 0);
        LastWork = _nodes;
        if (!found)
        {
            return false;
        }

        foreach (var d in drivers)
        {
            foreach (var p in _allocation.Held[d].ToArray())
            {
                _moves.Unassign(p);
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (_best[i] >= 0)
            {
                _moves.Assign(_items[i], drivers[_best[i]]);
            }
        }

        return true;
    }

    // The drivers' own packages and, per driver, its smallest unassigned compatible packages.
    private void Gather()
    {
        _items.Clear();
        _seen.Clear();
        foreach (var d in _drivers)
        {
            foreach (var p in _allocation.Held[d])
            {
                if (_seen.Add(p))
                {
                    _items.Add(p);
                }
            }
        }

        foreach (var d in _drivers)
        {
            var wanted = Math.Min(_problem.Slots[d], _problem.PackageCount) * UnassignedPerSlot;
            var candidates = new List<int>();
            foreach (var c in _problem.GroupClasses[_problem.GroupOf[d]])
            {
                var taken = 0;
                foreach (var p in _problem.ClassMembers[c])
                {
                    if (_allocation.Owner[p] < 0)
                    {
                        candidates.Add(p);
                        if (++taken >= wanted)
                        {
                            break;
                        }
                    }
                }
            }

            candidates.Sort((a, b) => (_problem.Volume[a], a).CompareTo((_problem.Volume[b], b)));
            foreach (var p in candidates.Take(wanted))
            {
                if (_seen.Add(p))
                {
                    _items.Add(p);
                }
            }
        }

        _items.Sort((a, b) => (_problem.Volume[a], a).CompareTo((_problem.Volume[b], b)));
        _itemMask = new int[_items.Count];
        for (var i = 0; i < _items.Count; i++)
        {
            var c = _problem.ClassOf[_items[i]];
            for (var j = 0; j < _drivers.Length; j++)
            {
                if (Array.BinarySearch(_problem.GroupClasses[_problem.GroupOf[_drivers[j]]], c) >= 0)
                {
                    _itemMask[i] |= 1 << j;
                }
            }
        }
    }

    private bool Search(int i, int count)
    {
        if (++_nodes > MaxNodes)
        {
            _cut = true;
            return false;
        }

        if (count > _bestCount)
        {
            _bestCount = count;
            Array.Copy(_choice, _best, _choice.Length);
            for (var k = i; k < _best.Length; k++)
            {
                _best[k] = -1;
            }

            return true;
        }

        if (i == _items.Count || count + Optimistic(i) <= _bestCount || count + EachAlone(i) <= _bestCount)
        {
            return false;
        }

        var v = _problem.Volume[_items[i]];
        var improved = false;
        for (var j = 0; j < _drivers.Length && !_cut; j++)
        {
            if ((_itemMask[i] & (1 << j)) == 0 || _slots[j] == 0 || (_room[j] != VolumeUnits.Unlimited && _room[j] < v))
            {
                continue;
            }

            _choice[i] = j;
            _slots[j]--;
            if (_room[j] != VolumeUnits.Unlimited)
            {
                _room[j] -= v;
            }

            improved |= Search(i + 1, count + 1);
            _slots[j]++;
            if (_room[j] != VolumeUnits.Unlimited)
            {
                _room[j] += v;
            }

            if (improved)
            {
                return true;
            }
        }

        _choice[i] = -1;
        return !_cut && Search(i + 1, count);
    }

    // How many of the items from i on could still fit, each driver taken alone with only the items it accepts
    // (smallest first, which is the most one driver can take), summed. Pooled room overstates what a set can
    // take when its free room is split into slivers that no remaining item fits; with this bound the search
    // reached the optimum on two days where it had ended one to three packages short (docs/engine.md).
    private int EachAlone(int i)
    {
        var total = 0;
        for (var j = 0; j < _drivers.Length; j++)
        {
            var room = _room[j];
            var taken = 0;
            for (var k = i; k < _items.Count && taken < _slots[j]; k++)
            {
                if ((_itemMask[k] & (1 << j)) == 0)
                {
                    continue;
                }

                var volume = _problem.Volume[_items[k]];
                if (room != VolumeUnits.Unlimited)
                {
                    // Items come smallest first: once one does not fit, none after it does.
                    if (volume > room)
                    {
                        break;
                    }

                    room -= volume;
                }

                taken++;
            }

            total += taken;
        }

        return total;
    }

    // How many of the items from i on could still fit, ignoring which driver accepts which.
    private int Optimistic(int i)
    {
        long room = 0;
        var slots = 0;
        for (var j = 0; j < _drivers.Length; j++)
        {
            if (_slots[j] == 0)
            {
                continue;
            }

            slots += _slots[j];
            room = _room[j] == VolumeUnits.Unlimited || room == VolumeUnits.Unlimited ? VolumeUnits.Unlimited : room + _room[j];
        }

        var remaining = _items.Count - i;
        var most = Math.Min(slots, remaining);
        if (room == VolumeUnits.Unlimited)
        {
            return most;
        }

        // The largest m with prefix[i + m] − prefix[i] ≤ room.
        int lo = 0, hi = most;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_prefix[i + mid] - _prefix[i] <= room)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
