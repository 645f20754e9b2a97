using System.Globalization;

namespace Couriers.Core.Deliveries;

internal static class RuleKeys
{
    // 10, 10.0 and 10.00 are the same limit; G29 drops trailing zeros so they share one signature bit.
    public static string Number(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);
}
