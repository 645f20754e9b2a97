using System.Runtime.CompilerServices;

namespace Couriers.Core.Assignment;

// The same dual restricted to no slot prices and one room price per driver group (drivers with the
// same rules): f = Σ_g R_g l_g + Σ_p max(0, 1 − v_p · min_{g accepts p} l_g), R_g the group's room.
// Still a valid bound for every l ≥ 0, and its cost is one pass over the (group, class) pairs plus
// one over the packages, not over (driver, package) pairs; where room binds almost every driver
// (the largest days) it is nearly as tight as the per-driver dual. Smoothed by a soft minimum over
// the groups and a soft max(0, ·) per package; each evaluation also returns the exact f.
internal sealed class GroupRoomPriceDual : IDualFunction
{
    private readonly double[] _room;
    private readonly int[] _lineStart;
    private readonly int[] _lineGroup;
    private readonly int[] _memberStart;
    private readonly double[] _volume;
    private readonly int[] _classes;
    private readonly double[] _weight;

    public GroupRoomPriceDual(Problem problem, int[] caps, double unit)
    {
        var groups = problem.GroupCount;
        _room = new double[groups];
        Pinned = new bool[groups];
        var active = new bool[groups];
        for (var d = 0; d < problem.DriverCount; d++)
        {
            if (caps[d] == 0)
            {
                continue;
            }

            var g = problem.GroupOf[d];
            active[g] = true;
            if (problem.Room[d] == VolumeUnits.Unlimited)
            {
                Pinned[g] = true;
            }
            else
            {
                _room[g] += problem.Room[d] / unit;
            }
        }

        for (var g = 0; g < groups; g++)
        {
            Pinned[g] |= !active[g];
            _room[g] = Pinned[g] ? 0 : _room[g];
        }

        (_lineStart, _lineGroup) = DualLayout.Lines(problem.ClassCount, groups, g => active[g] ? problem.GroupClasses[g] : []);
        (_memberStart, _volume) = DualLayout.Volumes(problem, unit);
        var widest = DualLayout.Widest(_lineStart);
        _classes = DualLayout.Occupied(_lineStart, _memberStart);

        _weight = new double[widest];
    }

    public int Size => _room.Length;

    public bool[] Pinned { get; }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Smoothed, double Exact) Evaluate(double[] x, double tau, double[] gradient)
    {
        var linear = DualLayout.Linear(_room, x, gradient);

        double smooth = 0, exact = 0;
        var inverseTau = 1 / tau;
        foreach (var c in _classes)
        {
            var from = _lineStart[c];
            var n = _lineStart[c + 1] - from;

            var lowest = double.PositiveInfinity;
            for (var k = 0; k < n; k++)
            {
                var price = x[_lineGroup[from + k]];
                _weight[k] = price;
                lowest = Math.Min(lowest, price);
            }

            var sum = SoftWeights(n, lowest, inverseTau);

            // The soft minimum is never above the minimum, so the smoothed f is never below the exact one.
            var soft = lowest - (tau * Math.Log(sum));
            double slope = 0;
            for (var m = _memberStart[c]; m < _memberStart[c + 1]; m++)
            {
                var v = _volume[m];
                exact += Math.Max(0, 1 - (v * lowest));
                var z = (1 - (v * soft)) * inverseTau;
                if (z > 40)
                {
                    smooth += tau * z;
                    slope -= v;
                }
                else if (z > -40)
                {
                    var e = Math.Exp(-Math.Abs(z));
                    smooth += tau * (Math.Max(z, 0) + Math.Log(1 + e));
                    slope -= v * (z >= 0 ? 1 / (1 + e) : e / (1 + e));
                }
            }

            if (slope != 0)
            {
                var share = slope / sum;
                for (var k = 0; k < n; k++)
                {
                    gradient[_lineGroup[from + k]] += share * _weight[k];
                }
            }
        }

        return (linear + smooth, linear + exact);
    }

    // One room price for every group: the one at which the smallest packages fill all the room
    // (where f restricted to equal prices stops falling). A start as good as the one-price Lagrangian.
    public double[] EqualPrices()
    {
        var volumes = _classes.SelectMany(c => _volume[_memberStart[c].._memberStart[c + 1]]).Order();
        var room = _room.Sum();
        var price = 0.0;
        double filled = 0;
        foreach (var v in volumes)
        {
            filled += v;
            if (filled > room)
            {
                price = 1 / v;
                break;
            }
        }

        return _room.Select((_, g) => Pinned[g] ? 0 : price).ToArray();
    }

    // The group prices in the weights become exp((lowest − price)/τ); returns their sum.
    private double SoftWeights(int n, double lowest, double inverseTau)
    {
        for (var k = 0; k < n; k++)
        {
            _weight[k] = (lowest - _weight[k]) * inverseTau;
        }

        return DualLayout.ExpInPlace(_weight, n);
    }
}
