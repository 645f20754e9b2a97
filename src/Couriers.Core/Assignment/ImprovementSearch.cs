namespace Couriers.Core.Assignment;

// The improvement phase when room binds: cheap local moves first, then ejection chains, then inserts that
// move several packages out of a nearly full driver, ruin and recreate, and exact re-packing of a few
// drivers at a time, back to the cheap moves after every gain.
// At a local optimum of all of them it remembers the plan and walks on: a ruin and recreate that may
// lose up to PlateauLoss packages, then the search again (the expensive neighbourhoods only every
// DeepEvery walks). The best plan seen is the answer. It stops when the plan reaches the bound, after
// MaxKickRounds walks per driver (the moves have run out), or on the budget.
internal sealed class ImprovementSearch
{
    private const int DeepEvery = 8;
    private const int MaxKickRounds = 12;
    private const int PlateauLoss = 2;

    // A pass of ruin and recreate or of exact re-packing gives up after this many steps without a gain
    // and goes on from there next time. On 200 × 5,000 a full cycle over the drivers costs about
    // 200,000 steps, most of the 1 s budget, which then never reaches the re-packing or a plateau walk;
    // on 50 × 1,000 a cycle costs a few thousand steps, so there nothing changes.
    private const int PassSteps = 25_000;

    private readonly Problem _problem;
    private readonly Allocation _allocation;
    private readonly ImprovementBudget _budget;
    private readonly int[] _bySize;
    private readonly int _bound;
    private readonly Moves _moves;
    private readonly LocalSearch _local;
    private readonly EjectionChains _chains;
    private readonly DriverSetRepair _repair;
    private readonly int[] _partnerScore;

    // Marks the packages already among this ruin's candidates (stamp = the ruin's number).
    private readonly int[] _candidateStamp;
    private int _ruins;
    private int _nextSeed;
    private int _nextRuin;
    private int _round;
    private int _kicks;
    private int[]? _best;
    private (int, long) _bestKey;
    private readonly Func<int> _laterBound;
    private int[]? _firstAtMost;

    // laterBound: a bound that may become known while the search runs (int.MaxValue until then).
    public ImprovementSearch(Problem problem, Allocation allocation, ImprovementBudget budget, int[] bySize, int bound, Func<int>? laterBound = null)
    {
        _laterBound = laterBound ?? (() => int.MaxValue);
        _problem = problem;
        _allocation = allocation;
        _budget = budget;
        _bySize = bySize;
        _bound = bound;
        _moves = new Moves(allocation);
        _local = new LocalSearch(problem, allocation, budget, bySize);
        _chains = new EjectionChains(problem, allocation, _moves);
        _repair = new DriverSetRepair(problem, allocation, _moves);
        _partnerScore = new int[problem.DriverCount];
        _candidateStamp = new int[problem.PackageCount];
    }

    // The most packages any plan of this search has assigned, seen at the top of a round, and the
    // steps taken when it was first seen. Rounds start at points fixed by the input and the step count,
    // so the first plan with that count does not depend on when a bound from another thread arrives.
    public int Most { get; private set; } = -1;

    public int StepsAtMost { get; private set; }

    // The most packages seen after each cheap pass, chain or round, and the step it was first seen at:
    // what the benchmark reports as the steps the answer needed. It does not steer the search.
    public int Seen { get; private set; } = -1;

    public int StepsAtSeen { get; private set; }

    public SearchStop Run()
    {
        while (true)
        {
            Observe();
            if (Most >= Math.Min(_bound, _laterBound()))
            {
                RestoreFirstAtMost();
                return SearchStop.ReachedBound;
            }

            _local.Run();
            Note();
            if (_budget.Exhausted)
            {
                break;
            }

            if (ChainPass() > 0)
            {
                continue;
            }

            // After a plateau step only the cheap neighbourhoods run, and the expensive ones every few steps.
            if (_kicks % DeepEvery == 0 && (_local.RunRelocatingSeveral() > 0 || RuinAndRecreatePass() || RepairPass()))
            {
                continue;
            }

            // A local optimum: remember it, then walk the plateau with a ruin and recreate that only has
            // to keep the count, seeds in turn, and search again from there.
            Remember();
            if (_budget.Exhausted || _kicks >= MaxKickRounds * _problem.DriverCount)
            {
                break;
            }

            RuinAndRecreate(_kicks++ % _problem.DriverCount, plateau: true);
        }

        Remember();
        Observe();
        RestoreBest();
        if (Most >= Math.Min(_bound, _laterBound()))
        {
            RestoreFirstAtMost();
            return SearchStop.ReachedBound;
        }

        return _budget.Exhausted ? (_budget.StoppedByTime ? SearchStop.TimeBudget : SearchStop.StepCap) : SearchStop.NoMoreMoves;
    }

    // The plan is optimal once it meets a bound; the first plan with that count is the answer.
    public void RestoreFirstAtMost()
    {
        if (_firstAtMost is not null)
        {
            Restore(_firstAtMost);
        }
    }

    private void Note()
    {
        if (_allocation.Assigned > Seen)
        {
            Seen = _allocation.Assigned;
            StepsAtSeen = _budget.Steps;
        }
    }

    private void Observe()
    {
        Note();
        if (_allocation.Assigned > Most)
        {
            Most = _allocation.Assigned;
            StepsAtMost = _budget.Steps;
            _firstAtMost ??= new int[_allocation.Owner.Length];
            Array.Copy(_allocation.Owner, _firstAtMost, _firstAtMost.Length);
        }
    }

    private void Remember()
    {
        Note();
        var key = (_allocation.Assigned, -_allocation.AssignedVolume);
        if (_best is null || key.CompareTo(_bestKey) > 0)
        {
            _best = (int[])_allocation.Owner.Clone();
            _bestKey = key;
        }
    }

    private void RestoreBest()
    {
        if (_best is not null && (_allocation.Assigned, -_allocation.AssignedVolume).CompareTo(_bestKey) < 0)
        {
            Restore(_best);
        }
    }

    private void Restore(int[] owners)
    {
        for (var p = 0; p < owners.Length; p++)
        {
            if (_allocation.Owner[p] >= 0 && _allocation.Owner[p] != owners[p])
            {
                _allocation.Unassign(p);
            }
        }

        for (var p = 0; p < owners.Length; p++)
        {
            if (owners[p] >= 0 && _allocation.Owner[p] != owners[p])
            {
                _allocation.Assign(p, owners[p]);
            }
        }
    }

    // Every unassigned package a chain can absorb, smallest first. A class whose package found no chain
    // is skipped for its larger packages in this pass: they need at least as much room at every hop.
    private int ChainPass()
    {
        var failedAt = new long[_problem.ClassCount];
        Array.Fill(failedAt, long.MaxValue);
        var inserted = 0;
        foreach (var p in _bySize)
        {
            var c = _problem.ClassOf[p];
            var v = _problem.Volume[p];
            if (_allocation.Owner[p] >= 0 || v >= failedAt[c] || _problem.ClassDrivers[c].Length == 0)
            {
                continue;
            }

            if (!_budget.TryStep())
            {
                break;
            }

            var outcome = _chains.TryInsert(p);
            _budget.TryStep(_chains.LastWork / 16);
            _moves.Commit();
            if (outcome == EjectionChains.Outcome.Inserted)
            {
                inserted++;
                Note();
            }
            else
            {
                inserted += outcome == EjectionChains.Outcome.Swapped ? 1 : 0;
                failedAt[c] = v;
            }
        }

        return inserted;
    }

    // Re-packs a seed driver with its most related drivers, seeds in turn from where the last pass
    // stopped; returns at the first gain, or false after a full cycle or PassSteps steps without one.
    private bool RepairPass()
    {
        var start = _budget.Steps;
        for (var tried = 0; tried < 2 * _problem.DriverCount && _budget.Steps - start < PassSteps; tried++)
        {
            var seed = _nextSeed;
            _nextSeed = (_nextSeed + 1) % _problem.DriverCount;
            if (_nextSeed == 0)
            {
                _round++;
            }

            if (_allocation.SlotsLeft[seed] == 0 && _allocation.RoomLeft[seed] == 0)
            {
                continue;
            }

            var drivers = Partners(seed, 1 + (_round % 3));
            if (drivers.Length < 2 || !_budget.TryStep())
            {
                if (_budget.Exhausted)
                {
                    return false;
                }

                continue;
            }

            var improved = _repair.TryImprove(drivers);
            _budget.TryStep(_repair.LastWork / 16);
            _moves.Commit();
            if (improved)
            {
                return true;
            }

            if (_budget.Exhausted)
            {
                return false;
            }
        }

        return false;
    }

    // Empties a seed driver and a related one and re-inserts their packages and the unassigned packages
    // they accept by chains, the packages with the fewest compatible drivers first (not smallest
    // first, which is how the plan was built), so the plan leaves its local optimum. Kept when it
    // assigns more, or as many with less volume; otherwise undone.
    private bool RuinAndRecreatePass()
    {
        var start = _budget.Steps;
        for (var tried = 0; tried < _problem.DriverCount && _budget.Steps - start < PassSteps; tried++)
        {
            var seed = _nextRuin;
            _nextRuin = (_nextRuin + 1) % _problem.DriverCount;
            if (_allocation.Held[seed].Count == 0 || !_budget.TryStep())
            {
                if (_budget.Exhausted)
                {
                    return false;
                }

                continue;
            }

            if (RuinAndRecreate(seed, plateau: false))
            {
                return true;
            }

            if (_budget.Exhausted)
            {
                return false;
            }
        }

        return false;
    }

    // Empties the seed and its most related driver and re-inserts; kept when it improves (count,
    // −volume), or on a plateau walk when it loses at most PlateauLoss packages; otherwise undone.
    private bool RuinAndRecreate(int seed, bool plateau)
    {
        var drivers = Partners(seed, 1);
        var before = (_allocation.Assigned, -_allocation.AssignedVolume);
        _ruins++;
        var candidates = new List<int>();
        foreach (var d in drivers)
        {
            foreach (var p in _allocation.Held[d].ToArray())
            {
                _moves.Unassign(p);
                _candidateStamp[p] = _ruins;
                candidates.Add(p);
            }

            foreach (var c in _problem.GroupClasses[_problem.GroupOf[d]])
            {
                var taken = 0;
                foreach (var p in _problem.ClassMembers[c])
                {
                    if (taken == 4)
                    {
                        break;
                    }

                    if (_allocation.Owner[p] < 0 && _candidateStamp[p] != _ruins)
                    {
                        _candidateStamp[p] = _ruins;
                        candidates.Add(p);
                        taken++;
                    }
                }
            }
        }

        candidates.Sort((a, b) => (_problem.ClassDrivers[_problem.ClassOf[a]].Length, _problem.Volume[a], a)
            .CompareTo((_problem.ClassDrivers[_problem.ClassOf[b]].Length, _problem.Volume[b], b)));
        var work = 0;
        foreach (var p in candidates)
        {
            if (_allocation.Owner[p] >= 0)
            {
                continue;
            }

            var d = Placement.ChooseDriver(_problem, _allocation, p);
            if (d >= 0)
            {
                _moves.Assign(p, d);
            }
            else
            {
                _chains.TryInsert(p, allowSwap: false);
                work += _chains.LastWork;
            }
        }

        _budget.TryStep(candidates.Count + (work / 16));
        var kept = plateau
            ? _allocation.Assigned >= before.Assigned - PlateauLoss
            : (_allocation.Assigned, -_allocation.AssignedVolume).CompareTo(before) > 0;
        if (kept)
        {
            _moves.Commit();
            return true;
        }

        _moves.UndoTo(0);
        return false;
    }


    // The drivers that accept most of the classes the seed holds or could take, best first, ties by index.
    private int[] Partners(int seed, int count)
    {
        var touched = new List<int>();
        void Score(int c)
        {
            foreach (var d in _problem.ClassDrivers[c])
            {
                if (d != seed && _partnerScore[d]++ == 0)
                {
                    touched.Add(d);
                }
            }
        }

        foreach (var p in _allocation.Held[seed])
        {
            Score(_problem.ClassOf[p]);
        }

        var chosen = touched
            .OrderByDescending(d => _partnerScore[d])
            .ThenBy(d => d)
            .Skip(_round / 3 % 3)
            .Take(count)
            .Prepend(seed)
            .ToArray();
        foreach (var d in touched)
        {
            _partnerScore[d] = 0;
        }

        return chosen;
    }
}

/// <summary>Why the improvement search stopped.</summary>
public enum SearchStop
{
    /// <summary>Room did not bind, or the construction already met the bound: no search ran.</summary>
    NotNeeded,

    /// <summary>The plan reached the upper bound, so it is optimal.</summary>
    ReachedBound,

    /// <summary>No neighbourhood found an improving move: the search ran out of moves before its budget.</summary>
    NoMoreMoves,

    /// <summary>The step cap (<see cref="AssignmentOptions.MaxImprovementSteps"/>) was reached.</summary>
    StepCap,

    /// <summary>The wall-clock budget ran out.</summary>
    TimeBudget,
}

