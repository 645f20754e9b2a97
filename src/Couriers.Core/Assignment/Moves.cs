namespace Couriers.Core.Assignment;

// The plan's changes since the last commit, so a compound move (a chain, a destroy-and-repair) can be
// tried and taken back exactly when it does not pay.
internal sealed class Moves(Allocation allocation)
{
    private readonly List<(int Package, int Driver, bool Assigned)> _log = [];

    public int Count => _log.Count;

    public int Mark() => _log.Count;

    public int DriverAt(int index) => _log[index].Driver;

    public void Assign(int package, int driver)
    {
        allocation.Assign(package, driver);
        _log.Add((package, driver, true));
    }

    public void Unassign(int package)
    {
        var driver = allocation.Owner[package];
        allocation.Unassign(package);
        _log.Add((package, driver, false));
    }

    public void UndoTo(int mark)
    {
        for (var i = _log.Count - 1; i >= mark; i--)
        {
            var (package, driver, assigned) = _log[i];
            if (assigned)
            {
                allocation.Unassign(package);
            }
            else
            {
                allocation.Assign(package, driver);
            }
        }

        _log.RemoveRange(mark, _log.Count - mark);
    }

    public void Commit() => _log.Clear();
}
