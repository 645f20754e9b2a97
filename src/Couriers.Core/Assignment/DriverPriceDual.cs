using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Couriers.Core.Assignment;

// The dual of the linear relaxation with a slot price a_d and a room price l_d per driver, the
// packages' prices eliminated (each is the most any accepting driver would pay for it):
//   f(a, l) = Σ_d (S_d a_d + R_d l_d) + Σ_p max(0, max_{d accepts p} (1 − a_d − l_d v_p)).
// Every a, l ≥ 0 gives f ≥ the linear relaxation ≥ any plan. For the search the inner max is
// smoothed to τ·log Σ exp(·/τ) (never below the max); each evaluation also returns the exact f.
// x = (a_0 … a_{D−1}, l_0 … l_{D−1}). Costs one pass over the (accepting driver, package) pairs.
internal sealed class DriverPriceDual : IDualFunction
{
    private readonly int _drivers;
    // S_d then R_d (in units of the mean package volume; 0 without a room limit): the prices' costs.
    private readonly double[] _cost;
    private readonly int[] _lineStart;
    private readonly int[] _lineDriver;
    private readonly int[] _memberStart;
    private readonly double[] _volume;
    private readonly int[] _classes;
    private readonly double[] _alpha;
    private readonly double[] _price;
    private readonly double[] _weight;
    private readonly double[] _slotUse;
    private readonly double[] _roomUse;

    public DriverPriceDual(Problem problem, int[] caps, double unit)
    {
        _drivers = problem.DriverCount;
        _cost = caps.Select(c => (double)c)
            .Concat(problem.Room.Select(r => r == VolumeUnits.Unlimited ? 0 : r / unit))
            .ToArray();
        Pinned = new bool[2 * _drivers];
        for (var d = 0; d < _drivers; d++)
        {
            // A driver with no slot takes nothing whatever its prices; an unlimited one has no room price.
            Pinned[d] = caps[d] == 0;
            Pinned[_drivers + d] = caps[d] == 0 || problem.Room[d] == VolumeUnits.Unlimited;
        }

        (_lineStart, _lineDriver) = DualLayout.Lines(problem.ClassCount, _drivers, d => caps[d] > 0 ? problem.GroupClasses[problem.GroupOf[d]] : []);
        (_memberStart, _volume) = DualLayout.Volumes(problem, unit);
        var widest = DualLayout.Widest(_lineStart);
        _classes = DualLayout.Occupied(_lineStart, _memberStart);

        _alpha = new double[widest];
        _price = new double[widest];
        _weight = new double[widest];
        _slotUse = new double[widest];
        _roomUse = new double[widest];
    }

    public int Size => 2 * _drivers;

    public bool[] Pinned { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Smoothed, double Exact) Evaluate(double[] x, double tau, double[] gradient)
    {
        var d0 = _drivers;
        var linear = DualLayout.Linear(_cost, x, gradient);

        double smooth = 0, exact = 0;
        var inverseTau = 1 / tau;
        foreach (var c in _classes)
        {
            var from = _lineStart[c];
            var n = _lineStart[c + 1] - from;

            for (var k = 0; k < n; k++)
            {
                var d = _lineDriver[from + k];
                _alpha[k] = 1 - x[d];
                _price[k] = x[d0 + d];
                _slotUse[k] = 0;
                _roomUse[k] = 0;
            }

            for (var m = _memberStart[c]; m < _memberStart[c + 1]; m++)
            {
                var v = _volume[m];
                var top = Top(n, v);
                var sum = Weights(n, v, top, inverseTau) + Math.Exp(Math.Max(-top * inverseTau, DualLayout.ExponentFloor));
                exact += top;
                smooth += top + (tau * Math.Log(sum));
                Accumulate(n, v, 1 / sum);
            }

            for (var k = 0; k < n; k++)
            {
                var d = _lineDriver[from + k];
                gradient[d] -= _slotUse[k];
                gradient[d0 + d] -= _roomUse[k];
            }
        }

        return (linear + smooth, linear + exact);
    }

    // max(0, max_k α_k − l_k v): the package's price, exactly.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Top(int n, double v)
    {
        ref var a = ref MemoryMarshal.GetArrayDataReference(_alpha);
        ref var l = ref MemoryMarshal.GetArrayDataReference(_price);
        var k = 0;
        var best = Vector256<double>.Zero;
        var vv = Vector256.Create(v);
        for (; k + 4 <= n; k += 4)
        {
            best = Vector256.Max(best, Vector256.LoadUnsafe(ref a, (nuint)k) - (Vector256.LoadUnsafe(ref l, (nuint)k) * vv));
        }

        var top = Math.Max(Math.Max(best[0], best[1]), Math.Max(best[2], best[3]));
        for (; k < n; k++)
        {
            top = Math.Max(top, _alpha[k] - (_price[k] * v));
        }

        return top;
    }

    // exp((α_k − l_k v − top)/τ) into the weights; returns their sum.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Weights(int n, double v, double top, double inverseTau)
    {
        ref var a = ref MemoryMarshal.GetArrayDataReference(_alpha);
        ref var l = ref MemoryMarshal.GetArrayDataReference(_price);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_weight);
        var k = 0;
        var vv = Vector256.Create(v);
        var tt = Vector256.Create(top);
        var it = Vector256.Create(inverseTau);
        for (; k + 4 <= n; k += 4)
        {
            ((Vector256.LoadUnsafe(ref a, (nuint)k) - (Vector256.LoadUnsafe(ref l, (nuint)k) * vv) - tt) * it).StoreUnsafe(ref w, (nuint)k);
        }

        for (; k < n; k++)
        {
            _weight[k] = (_alpha[k] - (_price[k] * v) - top) * inverseTau;
        }

        return DualLayout.ExpInPlace(_weight, n);
    }

    // The smoothed share of the package each driver takes: its slot use and its room use.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(int n, double v, double scale)
    {
        ref var w = ref MemoryMarshal.GetArrayDataReference(_weight);
        ref var s = ref MemoryMarshal.GetArrayDataReference(_slotUse);
        ref var r = ref MemoryMarshal.GetArrayDataReference(_roomUse);
        var k = 0;
        var sc = Vector256.Create(scale);
        var sv = Vector256.Create(scale * v);
        for (; k + 4 <= n; k += 4)
        {
            var e = Vector256.LoadUnsafe(ref w, (nuint)k);
            (Vector256.LoadUnsafe(ref s, (nuint)k) + (e * sc)).StoreUnsafe(ref s, (nuint)k);
            (Vector256.LoadUnsafe(ref r, (nuint)k) + (e * sv)).StoreUnsafe(ref r, (nuint)k);
        }

        for (; k < n; k++)
        {
            _slotUse[k] += _weight[k] * scale;
            _roomUse[k] += _weight[k] * scale * v;
        }
    }
}
