using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// Insertions by ejection chain: p goes into d1, which evicts e1 to make room (or a slot); e1 goes into
// d2, which evicts e2; … until a driver takes the last package as it is. Each hop may use the room
// left in its driver, so a chain pools the slack of several drivers into room for one more package,
// and with slots alone it is an augmenting path of the matching.
//
// The search is breadth-first from the package, so the shortest chain wins (or smallest package
// carried first on days where breadth first cannot see past two hops). A driver is entered again
// only with a smaller package than before (a smaller package fits wherever a larger one of the same
// class did), and only if it could take that package by giving up one of its own; a class is expanded
// again only with a smaller package; a chain is applied as soon as a driver can take what it carries;
// a node cap bounds the work.
internal sealed class EjectionChains
{
    private readonly Problem _problem;
    private readonly Allocation _allocation;
    private readonly Moves _moves;
    private readonly long[] _gate;
    private readonly long[] _expandedWith;
    private readonly int[] _classStamp;
    private readonly int[] _pathStamp;
    private readonly List<Node> _nodes = [];
    private readonly PriorityQueue<int, (long Volume, int Hops)> _open = new();
    private readonly bool _smallestFirst;
    private int _stamp;
    private int _pathCounter;

    public EjectionChains(Problem problem, Allocation allocation, Moves moves)
    {
        _problem = problem;
        _allocation = allocation;
        _moves = moves;
        _gate = new long[problem.DriverCount];
        _expandedWith = new long[problem.ClassCount];
        _classStamp = new int[problem.ClassCount];
        _pathStamp = new int[problem.DriverCount];

        // Breadth first, the shortest chain wins; but where one hop already fans out to about a
        // quarter of the node cap (a driver's slots times the drivers accepting a class), breadth
        // first never looks past two hops, so the smallest package carried is expanded first instead.
        var slots = problem.Slots.DefaultIfEmpty(0).Average();
        var accepting = problem.ClassDrivers.Select(d => d.Length).DefaultIfEmpty(0).Average();
        _smallestFirst = slots * accepting > MaxNodes / 4;
    }

    private const int MaxNodes = 4_096;
    private const int MaxHops = 8;

    // Nodes the last search visited, for the budget.
    public int LastWork { get; private set; }

    public enum Outcome
    {
        Inserted,

        // No chain inserts it, but one takes it in and drops a larger package: same count, less volume.
        Swapped,
        NoChain,
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Outcome TryInsert(int package, bool allowSwap = true)
    {
        _stamp++;
        _nodes.Clear();
        _open.Clear();
        var dropAt = -1;
        var dropped = -1;
        var rootVolume = _problem.Volume[package];
        var c = _problem.ClassOf[package];
        // A package enters driver d only if it is smaller than _gate[d]: at first, if the driver could
        // take it by giving up its largest package; once entered, only a smaller package than before.
        for (var d = 0; d < _gate.Length; d++)
        {
            var left = _allocation.RoomLeft[d];
            _gate[d] = left == VolumeUnits.Unlimited ? long.MaxValue : left + _allocation.LargestHeld[d] + 1;
        }

        foreach (var d in _problem.ClassDrivers[c])
        {
            if (rootVolume < _gate[d] && Enter(d, package, rootVolume, -1, 0))
            {
                LastWork = _nodes.Count;
                return Outcome.Inserted;
            }
        }

        // Breadth first, nodes are created in the order they are expanded, so the queue is the node list.
        for (var cursor = 0; _nodes.Count < MaxNodes; cursor++)
        {
            int head;
            if (!_smallestFirst)
            {
                if (cursor >= _nodes.Count)
                {
                    break;
                }

                head = cursor;
            }
            else if (!_open.TryDequeue(out head, out _))
            {
                break;
            }

            var node = _nodes[head];
            if (_gate[node.Driver] < _problem.Volume[node.Incoming] || node.Hops >= MaxHops)
            {
                continue; // a smaller package entered this driver since, or the chain is long enough
            }

            var room = _allocation.RoomLeft[node.Driver];
            var need = _problem.Volume[node.Incoming];
            foreach (var e in _allocation.Held[node.Driver])
            {
                var v = _problem.Volume[e];
                // Smallest first, a chain must shrink what it carries: a larger package is not worth a hop.
                if ((room != VolumeUnits.Unlimited && room + v < need) || (_smallestFirst && v >= need))
                {
                    continue;
                }

                if (v > rootVolume && (dropped < 0 || v > _problem.Volume[dropped]))
                {
                    dropAt = head;
                    dropped = e;
                }

                var ec = _problem.ClassOf[e];
                if (_classStamp[ec] == _stamp && _expandedWith[ec] <= v)
                {
                    continue;
                }

                _classStamp[ec] = _stamp;
                _expandedWith[ec] = v;
                foreach (var next in _problem.ClassDrivers[ec])
                {
                    if (v < _gate[next] && next != node.Driver && Enter(next, e, v, head, node.Hops + 1))
                    {
                        LastWork = _nodes.Count;
                        return Outcome.Inserted;
                    }
                }
            }
        }

        LastWork = _nodes.Count;
        return allowSwap && dropped >= 0 && Apply(dropAt, dropped) ? Outcome.Swapped : Outcome.NoChain;
    }

    // Adds a node that passed the driver's gate; true when it ends a chain that has been applied.
    private bool Enter(int driver, int package, long v, int parent, int hops)
    {
        _gate[driver] = v;
        _nodes.Add(new Node(driver, package, parent, hops));
        if (_allocation.Fits(package, driver) && Apply(_nodes.Count - 1, -1))
        {
            return true;
        }

        // Smallest incoming package first: the chain has to shrink what it carries until a driver takes it.
        if (_smallestFirst)
        {
            _open.Enqueue(_nodes.Count - 1, (v, hops));
        }
        return false;
    }

    // Walks the chain back from its end; a chain that passes one driver twice is not applied. From
    // the end, each driver takes its incoming package out of the previous driver, which makes the room
    // (or the slot) that driver's own incoming package needs.
    private bool Apply(int end, int drop)
    {
        _pathCounter++;
        for (var i = end; i >= 0; i = _nodes[i].Parent)
        {
            var d = _nodes[i].Driver;
            if (_pathStamp[d] == _pathCounter)
            {
                return false;
            }

            _pathStamp[d] = _pathCounter;
        }

        var mark = _moves.Mark();
        if (drop >= 0)
        {
            _moves.Unassign(drop);
        }

        for (var i = end; i >= 0; i = _nodes[i].Parent)
        {
            var node = _nodes[i];
            if (_allocation.Owner[node.Incoming] >= 0)
            {
                _moves.Unassign(node.Incoming);
            }

            if (!_allocation.Fits(node.Incoming, node.Driver))
            {
                _moves.UndoTo(mark);
                return false;
            }

            _moves.Assign(node.Incoming, node.Driver);
        }

        return true;
    }

    private readonly record struct Node(int Driver, int Incoming, int Parent, int Hops);
}
