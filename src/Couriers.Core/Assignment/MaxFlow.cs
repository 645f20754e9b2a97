namespace Couriers.Core.Assignment;

/// <summary>
/// Dinic's max-flow over int capacities. Edges are kept in insertion order and searched in that
/// order, so the same network always yields the same flow. Capacities may be raised between runs
/// and <see cref="Run"/> called again: it continues from the current flow.
/// </summary>
internal sealed class MaxFlow
{
    private readonly int _nodes;
    private readonly List<int> _to = [];
    private readonly List<int> _capacity = [];
    private int[] _toArr = [];
    private int[] _cap = [];
    private int[] _head;
    private int[] _next = [];
    private readonly List<int> _nextList = [];
    private readonly int[] _level;
    private readonly int[] _iter;
    private bool _frozen;

    public MaxFlow(int nodes)
    {
        _nodes = nodes;
        _head = Enumerable.Repeat(-1, nodes).ToArray();
        _level = new int[nodes];
        _iter = new int[nodes];
    }

    public int AddEdge(int from, int to, int capacity)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("edges must be added before the first run");
        }

        var id = _to.Count;
        Append(from, to, capacity);
        Append(to, from, 0);
        return id;
    }

    public int Flow(int edge) => _frozen ? _cap[edge ^ 1] : 0;

    public void RaiseCapacity(int edge, int newCapacity)
    {
        Freeze();
        var current = _cap[edge] + _cap[edge ^ 1];
        if (newCapacity < current)
        {
            throw new InvalidOperationException("capacities may only be raised");
        }

        _cap[edge] += newCapacity - current;
    }

    public long Run(int source, int sink)
    {
        Freeze();
        long total = 0;
        while (BuildLevels(source, sink))
        {
            Array.Copy(_head, _iter, _nodes);
            total += Augment(source, sink);
        }

        return total;
    }

    private void Append(int from, int to, int capacity)
    {
        _to.Add(to);
        _capacity.Add(capacity);
        _nextList.Add(_head[from]);
        _head[from] = _to.Count - 1;
    }

    private void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        _toArr = _to.ToArray();
        _cap = _capacity.ToArray();

        // Adjacency was built by prepending; rebuild it so each node lists its edges in insertion order.
        _next = new int[_toArr.Length];
        var perNode = new List<int>[_nodes];
        for (var e = 0; e < _toArr.Length; e++)
        {
            var from = _toArr[e ^ 1];
            (perNode[from] ??= []).Add(e);
        }

        _head = Enumerable.Repeat(-1, _nodes).ToArray();
        for (var n = 0; n < _nodes; n++)
        {
            var edges = perNode[n];
            if (edges is null)
            {
                continue;
            }

            _head[n] = edges[0];
            for (var i = 0; i < edges.Count; i++)
            {
                _next[edges[i]] = i + 1 < edges.Count ? edges[i + 1] : -1;
            }
        }
    }

    private bool BuildLevels(int source, int sink)
    {
        Array.Fill(_level, -1);
        var queue = new int[_nodes];
        int read = 0, write = 0;
        queue[write++] = source;
        _level[source] = 0;
        while (read < write)
        {
            var u = queue[read++];
            for (var e = _head[u]; e != -1; e = _next[e])
            {
                var v = _toArr[e];
                if (_cap[e] > 0 && _level[v] < 0)
                {
                    _level[v] = _level[u] + 1;
                    queue[write++] = v;
                }
            }
        }

        return _level[sink] >= 0;
    }

    // Iterative blocking-flow search: residual paths alternate between drivers and classes and can be
    // long, so recursion could overflow the stack on large days.
    private long Augment(int source, int sink)
    {
        long total = 0;
        var path = new int[_nodes];
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
                    if (_cap[path[i]] < bottleneck)
                    {
                        bottleneck = _cap[path[i]];
                        cut = i;
                    }
                }

                for (var i = 0; i < depth; i++)
                {
                    _cap[path[i]] -= bottleneck;
                    _cap[path[i] ^ 1] += bottleneck;
                }

                total += bottleneck;
                depth = cut;
                u = _toArr[path[cut] ^ 1];
                continue;
            }

            var e = _iter[u];
            while (e != -1 && (_cap[e] <= 0 || _level[_toArr[e]] != _level[u] + 1))
            {
                e = _next[e];
            }

            _iter[u] = e;
            if (e != -1)
            {
                path[depth++] = e;
                u = _toArr[e];
                continue;
            }

            if (u == source)
            {
                return total;
            }

            // Dead end: drop u from this phase and retreat one edge.
            _level[u] = -1;
            var back = path[--depth];
            u = _toArr[back ^ 1];
            _iter[u] = _next[_iter[u]];
        }
    }
}
