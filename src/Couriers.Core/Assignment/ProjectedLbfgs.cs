namespace Couriers.Core.Assignment;

// Limited-memory BFGS for a smooth function over x ≥ 0: variables at zero whose gradient pushes them
// below it are held there for the step, the step is projected back onto x ≥ 0, and an Armijo
// backtracking search keeps every accepted step a decrease. Deterministic: no randomness, fixed order.
internal sealed class ProjectedLbfgs(int size, int memory = 8)
{
    private readonly List<(double[] S, double[] Y, double Rho)> _pairs = [];
    private readonly double[] _alpha = new double[memory];
    private readonly double[] _gradient = new double[size];
    private readonly double[] _nextGradient = new double[size];
    private readonly double[] _next = new double[size];
    private readonly double[] _direction = new double[size];

    public delegate double Function(double[] x, double[] gradient);

    // Runs up to `iterations` steps from x (updated in place); `evaluate` returns false when the caller's
    // budget is spent, which ends the run after the evaluation in hand.
    public void Minimize(Function f, double[] x, bool[] pinned, int iterations, Func<bool> evaluate)
    {
        _pairs.Clear();
        if (!evaluate())
        {
            return;
        }

        var value = f(x, _gradient);
        for (var k = 0; k < iterations; k++)
        {
            if (!Direction(x, pinned))
            {
                return;
            }

            var step = 1.0;
            var accepted = false;
            for (var tries = 0; tries < 20 && !accepted; tries++, step /= 2)
            {
                for (var i = 0; i < size; i++)
                {
                    _next[i] = Math.Max(0, x[i] + (step * _direction[i]));
                }

                if (!evaluate())
                {
                    return;
                }

                var nextValue = f(_next, _nextGradient);
                double decrease = 0;
                for (var i = 0; i < size; i++)
                {
                    decrease += _gradient[i] * (_next[i] - x[i]);
                }

                if (nextValue <= value + (1e-4 * decrease))
                {
                    accepted = true;
                    Remember(x);
                    value = nextValue;
                }
            }

            if (!accepted)
            {
                return;
            }
        }
    }

    // The quasi-Newton direction over the free variables; steepest descent when it is not a descent.
    private bool Direction(double[] x, bool[] pinned)
    {
        var q = _direction;
        var anyFree = false;
        for (var i = 0; i < size; i++)
        {
            var held = pinned[i] || (x[i] <= 0 && _gradient[i] > 0);
            q[i] = held ? 0 : _gradient[i];
            anyFree |= q[i] != 0;
        }

        if (!anyFree)
        {
            return false;
        }

        for (var j = _pairs.Count - 1; j >= 0; j--)
        {
            _alpha[j] = _pairs[j].Rho * Dot(_pairs[j].S, q);
            Axpy(-_alpha[j], _pairs[j].Y, q);
        }

        var scale = _pairs.Count > 0
            ? Dot(_pairs[^1].S, _pairs[^1].Y) / Dot(_pairs[^1].Y, _pairs[^1].Y)
            : 1 / Math.Sqrt(Dot(q, q));
        for (var i = 0; i < size; i++)
        {
            q[i] *= scale;
        }

        for (var j = 0; j < _pairs.Count; j++)
        {
            var beta = _pairs[j].Rho * Dot(_pairs[j].Y, q);
            Axpy(_alpha[j] - beta, _pairs[j].S, q);
        }

        double slope = 0;
        for (var i = 0; i < size; i++)
        {
            var held = pinned[i] || (x[i] <= 0 && _gradient[i] > 0);
            q[i] = held ? 0 : -q[i];
            slope += q[i] * _gradient[i];
        }

        if (slope < 0)
        {
            return true;
        }

        _pairs.Clear();
        var norm = 0.0;
        for (var i = 0; i < size; i++)
        {
            var held = pinned[i] || (x[i] <= 0 && _gradient[i] > 0);
            q[i] = held ? 0 : -_gradient[i];
            norm += q[i] * q[i];
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < size; i++)
        {
            q[i] /= norm;
        }

        return norm > 0;
    }

    private void Remember(double[] x)
    {
        double sy = 0;
        for (var i = 0; i < size; i++)
        {
            sy += (_next[i] - x[i]) * (_nextGradient[i] - _gradient[i]);
        }

        if (sy > 1e-12)
        {
            var (s, y) = _pairs.Count == memory ? (_pairs[0].S, _pairs[0].Y) : (new double[size], new double[size]);
            if (_pairs.Count == memory)
            {
                _pairs.RemoveAt(0);
            }

            for (var i = 0; i < size; i++)
            {
                s[i] = _next[i] - x[i];
                y[i] = _nextGradient[i] - _gradient[i];
            }

            _pairs.Add((s, y, 1 / sy));
        }

        Array.Copy(_next, x, size);
        Array.Copy(_nextGradient, _gradient, size);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double factor, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += factor * x[i];
        }
    }
}
