namespace Couriers.Core.Assignment;

// The b-matching as a flow network over driver groups and package classes:
// source → group (sum of its drivers' caps) → class (if compatible) → sink (class size).
internal sealed class ClassFlow
{
    private readonly Problem _problem;
    private readonly int[] _driverCaps;
    private readonly MaxFlow _network;
    private readonly int[][] _groupClassEdges;
    private readonly int[] _classSinkEdges;
    private readonly int _source;
    private readonly int _sink;

    public ClassFlow(Problem problem, int[] driverCaps, int[]? classCaps = null)
    {
        _problem = problem;
        _driverCaps = driverCaps;
        var groups = problem.GroupCount;
        var classes = problem.ClassCount;
        _source = 0;
        _sink = groups + classes + 1;
        _network = new MaxFlow(groups + classes + 2);

        var groupCaps = new int[groups];
        for (var d = 0; d < problem.DriverCount; d++)
        {
            var g = problem.GroupOf[d];
            groupCaps[g] = (int)Math.Min(int.MaxValue / 2, (long)groupCaps[g] + driverCaps[d]);
        }

        _groupClassEdges = new int[groups][];
        for (var g = 0; g < groups; g++)
        {
            _network.AddEdge(_source, 1 + g, groupCaps[g]);
            var compatible = problem.GroupClasses[g];
            _groupClassEdges[g] = Enumerable.Repeat(-1, compatible.Length).ToArray();
            if (groupCaps[g] == 0)
            {
                continue;
            }

            // The group's own cap already bounds what can pass, so it stands in for "unbounded" here.
            for (var k = 0; k < compatible.Length; k++)
            {
                _groupClassEdges[g][k] = _network.AddEdge(1 + g, 1 + groups + compatible[k], groupCaps[g]);
            }
        }

        _classSinkEdges = new int[classes];
        for (var c = 0; c < classes; c++)
        {
            _classSinkEdges[c] = _network.AddEdge(1 + groups + c, _sink, classCaps?[c] ?? problem.ClassMembers[c].Length);
        }
    }

    public int Value { get; private set; }

    public int Run()
    {
        Value += (int)_network.Run(_source, _sink);
        return Value;
    }

    public void RaiseClassCapacity(int classIndex, int capacity) =>
        _network.RaiseCapacity(_classSinkEdges[classIndex], capacity);

    // Splits each group's flow over its drivers in driver order: (class, count) pairs per driver.
    public List<(int Class, int Count)>[] DriverClassCounts()
    {
        var result = new List<(int, int)>[_problem.DriverCount];
        for (var d = 0; d < result.Length; d++)
        {
            result[d] = [];
        }

        for (var g = 0; g < _problem.GroupCount; g++)
        {
            var drivers = _problem.GroupDrivers[g];
            var compatible = _problem.GroupClasses[g];
            var di = 0;
            var left = drivers.Length > 0 ? _driverCaps[drivers[0]] : 0;
            for (var k = 0; k < compatible.Length; k++)
            {
                var edge = _groupClassEdges[g][k];
                var flow = edge < 0 ? 0 : _network.Flow(edge);
                while (flow > 0)
                {
                    while (left == 0)
                    {
                        di++;
                        left = _driverCaps[drivers[di]];
                    }

                    var take = Math.Min(flow, left);
                    result[drivers[di]].Add((compatible[k], take));
                    flow -= take;
                    left -= take;
                }
            }
        }

        return result;
    }
}
