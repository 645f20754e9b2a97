namespace Couriers.Core.Couriers;

/// <summary>
/// Capacities and volumes are liters with at most milliliter precision, so every stored amount is a
/// whole number of milliliters and sums never drift.
/// </summary>
public static class Liters
{
    public const int MaxDecimals = 3;

    /// <summary>1,000 m³: far above any vehicle, low enough that sums of many stay exact.</summary>
    public const decimal Max = 1_000_000m;

    public static string? Problem(decimal value, bool allowZero)
    {
        if (value < 0 || (value == 0 && !allowZero)) return allowZero ? "must not be negative" : "must be greater than 0";
        if (value > Max) return $"must be at most {Max} liters";
        if (value.Scale > MaxDecimals && decimal.Round(value, MaxDecimals) != value)
            return $"must have at most {MaxDecimals} decimal places (milliliters)";
        return null;
    }

    public static long ToMilliliters(decimal liters) => (long)(liters * 1000m);

    public static decimal FromMilliliters(long milliliters) => milliliters / 1000m;
}
