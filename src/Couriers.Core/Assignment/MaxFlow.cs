using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// Dinic's max-flow over int capacities. Each node's arcs are stored contiguously, in the order
// they were added, and searched in that order, so the same network always yields the same flow.
// Capacities may be raised between runs and Run called again: it continues from the
// current flow.
internal sealed class MaxFlow
{
    private readonly int _nodes;
    private readonly List<(int From, int To, int Capacity)> _added = [];
    private int[] _position = [];
    private int[] _start = [];
    private int[] _to = [];
    private int[] _reverse = [];
    private int[] _cap = [];
    private readonly int[] _level;
    private readonly int[] _iter;
    private readonly int[] _queue;
    private readonly int[] _path;
    private bool _frozen;

    public MaxFlow(int nodes)
    {
        _nodes = nodes;
        _level = new int[nodes];
        _iter = new int[nodes];
        _queue = new int[nodes];
        _path = new int[nodes];
    }

    // Adds an edge and returns its id; the id stays valid after the network is frozen.
    public int AddEdge(int from, int to, int capacity)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("edges must be added before the first run");
        }

        _added.Add((from, to, capacity));
        return _added.Count - 1;
    }

    public int Flow(int edge)
    {
        Freeze();
        return _cap[_reverse[_position[edge]]];
    }

    public void RaiseCapacity(int edge, int newCapacity)
    {
        Freeze();
        var arc = _position[edge];
        var current = _cap[arc] + _cap[_reverse[arc]];
        if (newCapacity < current)
        {
            throw new InvalidOperationException("capacities may only be raised");
        }

        _cap[arc] += newCapacity - current;
    }

    public long Run(int source, int sink)
    {
        Freeze();
        long total = 0;
        while (BuildLevels(source, sink))
        {
            Array.Copy(_start, _iter, _nodes);
            total += Augment(source, sink);
        }

        return total;
    }

    // Lays the arcs out node by node (counting sort), so searches read memory sequentially.
    private void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        var arcs = _added.Count * 2;
        _start = new int[_nodes + 1];
        foreach (var (from, to, _) in _added)
        {
            _start[from + 1]++;
            _start[to + 1]++;
        }

        for (var n = 0; n < _nodes; n++)
        {
            _start[n + 1] += _start[n];
        }

        var fill = (int[])_start.Clone();
        _position = new int[_added.Count];
        _to = new int[arcs];
        _reverse = new int[arcs];
        _cap = new int[arcs];
        for (var e = 0; e < _added.Count; e++)
        {
            var (from, to, capacity) = _added[e];
            var forward = fill[from]++;
            var backward = fill[to]++;
            _position[e] = forward;
            _to[forward] = to;
            _to[backward] = from;
            _cap[forward] = capacity;
            _reverse[forward] = backward;
            _reverse[backward] = forward;
        }

        _added.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BuildLevels(int source, int sink)
    {
        Array.Fill(_level, -1);
        int read = 0, write = 0;
        _queue[write++] = source;
        _level[source] = 0;
        while (read < write)
        {
            var u = _queue[read++];
            var next = _level[u] + 1;
            if (_level[sink] >= 0 && next > _level[sink])
            {
                break;
            }

            for (var a = _start[u]; a < _start[u + 1]; a++)
            {
                var v = _to[a];
                if (_cap[a] > 0 && _level[v] < 0)
                {
                    _level[v] = next;
                    _queue[write++] = v;
                }
            }
        }

        return _level[sink] >= 0;
    }

    // Iterative blocking-flow search: residual paths alternate between drivers and classes and can be
    // long, so recursion could overflow the stack on large days.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Augment(int source, int sink)
    {
        long total = 0;
        var depth = 0;
        var u = source;
        while (true)
        {
            if (u == sink)
            {
                var bottleneck = int.MaxValue;
                var cut = 0;
                for (var i = 0; i < depth; i++)
                {
                    if (_cap[_path[i]] < bottleneck)
                    {
                        bottleneck = _cap[_path[i]];
                        cut = i;
                    }
                }

                for (var i = 0; i < depth; i++)
                {
                    _cap[_path[i]] -= bottleneck;
                    _cap[_reverse[_path[i]]] += bottleneck;
                }

                total += bottleneck;
                depth = cut;
                u = _to[_reverse[_path[cut]]];
                continue;
            }

            var a = _iter[u];
            var end = _start[u + 1];
            while (a < end && (_cap[a] <= 0 || _level[_to[a]] != _level[u] + 1))
            {
                a++;
            }

            _iter[u] = a;
            if (a < end)
            {
                _path[depth++] = a;
                u = _to[a];
                continue;
            }

            if (u == source)
            {
                return total;
            }

            // Dead end: drop u from this phase and retreat one arc.
            _level[u] = -1;
            var back = _path[--depth];
            u = _to[_reverse[back]];
            _iter[u]++;
        }
    }
}
