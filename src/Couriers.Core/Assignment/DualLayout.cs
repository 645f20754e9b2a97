using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Couriers.Core.Assignment;

// What the dual bounds evaluate: x ≥ 0 in, the smoothed value and its gradient out, plus the exact
// (unsmoothed) value at x, which is the bound that x proves.
internal interface IDualFunction
{
    int Size { get; }

    bool[] Pinned { get; }

    (double Smoothed, double Exact) Evaluate(double[] x, double tau, double[] gradient);
}

// Flat per-class arrays for the dual bounds, so an evaluation reads memory in order.
internal static class DualLayout
{
    // Weights below e^-80 are invisible next to the largest (1); clamping there keeps exp away from
    // subnormal results, which cost the vector exp several times as much.
    public const double ExponentFloor = -80;

    // values[k] = exp(max(values[k], floor)) for k < n, four at a time; returns their sum.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ExpInPlace(double[] values, int n)
    {
        ref var w = ref MemoryMarshal.GetArrayDataReference(values);
        var k = 0;
        var sum = Vector256<double>.Zero;
        var floor = Vector256.Create(ExponentFloor);
        for (; k + 4 <= n; k += 4)
        {
            var e = Vector256.Exp(Vector256.Max(Vector256.LoadUnsafe(ref w, (nuint)k), floor));
            e.StoreUnsafe(ref w, (nuint)k);
            sum += e;
        }

        var total = Vector256.Sum(sum);
        for (; k < n; k++)
        {
            values[k] = Math.Exp(Math.Max(values[k], ExponentFloor));
            total += values[k];
        }

        return total;
    }

    // For each class, the owners (drivers or groups) that accept it, in owner order.
    public static (int[] Start, int[] Owner) Lines(int classCount, int owners, Func<int, int[]> classesOf)
    {
        var start = new int[classCount + 1];
        for (var o = 0; o < owners; o++)
        {
            foreach (var c in classesOf(o))
            {
                start[c + 1]++;
            }
        }

        for (var c = 0; c < classCount; c++)
        {
            start[c + 1] += start[c];
        }

        var fill = (int[])start.Clone();
        var owner = new int[start[^1]];
        for (var o = 0; o < owners; o++)
        {
            foreach (var c in classesOf(o))
            {
                owner[fill[c]++] = o;
            }
        }

        return (start, owner);
    }

    // Σ cost·x, the dual's linear part, with its gradient written as the start of the full gradient.
    public static double Linear(double[] cost, double[] x, double[] gradient)
    {
        double sum = 0;
        for (var i = 0; i < cost.Length; i++)
        {
            gradient[i] = cost[i];
            sum += cost[i] * x[i];
        }

        return sum;
    }

    // The classes with at least one owner and one package: the only ones the dual's sum runs over.
    public static int[] Occupied(int[] lineStart, int[] memberStart) =>
        Enumerable.Range(0, lineStart.Length - 1)
            .Where(c => lineStart[c + 1] > lineStart[c] && memberStart[c + 1] > memberStart[c])
            .ToArray();

    // The most owners any one class has: the size of the per-class scratch arrays.
    public static int Widest(int[] start)
    {
        var widest = 0;
        for (var c = 0; c + 1 < start.Length; c++)
        {
            widest = Math.Max(widest, start[c + 1] - start[c]);
        }

        return widest;
    }

    // Each class's package volumes, smallest first, in units of the mean package volume.
    public static (int[] Start, double[] Volume) Volumes(Problem problem, double unit)
    {
        var start = new int[problem.ClassCount + 1];
        var volume = new double[problem.PackageCount];
        var i = 0;
        for (var c = 0; c < problem.ClassCount; c++)
        {
            foreach (var p in problem.ClassMembers[c])
            {
                volume[i++] = problem.Volume[p] / unit;
            }

            start[c + 1] = i;
        }

        return (start, volume);
    }
}
