using Couriers.Core.Couriers;
using Couriers.Core.Paging;

namespace Couriers.Core.Tests.Couriers;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("1234")]
    [InlineData("driver_99")]
    [InlineData("413a59e3-2583-4263-8e1c-8c5a632d03ae")]
    [InlineData("a.b")]
    public void OrdinaryIdsAreAccepted(string id) => Assert.Null(Identifiers.Problem(id));

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("café")]
    [InlineData("x/y")]
    [InlineData("a|b")]
    [InlineData("tab\t")]
    public void IdsWithOddCharactersOrNoneAreRefused(string id) => Assert.NotNull(Identifiers.Problem(id));

    [Fact]
    public void IdsLongerThanTheLimitAreRefused()
    {
        Assert.Null(Identifiers.Problem(new string('a', Identifiers.MaxLength)));
        Assert.NotNull(Identifiers.Problem(new string('a', Identifiers.MaxLength + 1)));
    }

    [Theory]
    [InlineData("0.001", true)]
    [InlineData("45", true)]
    [InlineData("45.100", true)]
    [InlineData("1000000", true)]
    [InlineData("0", false)]
    [InlineData("-1", false)]
    [InlineData("0.0001", false)]
    [InlineData("1000000.001", false)]
    public void CapacitiesArePositiveBoundedMilliliterAmounts(string text, bool valid) =>
        Assert.Equal(valid, Liters.Problem(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), allowZero: false) is null);

    [Fact]
    public void ZeroIsAllowedWhereAskedFor() => Assert.Null(Liters.Problem(0m, allowZero: true));

    [Fact]
    public void MillilitersRoundTripExactly()
    {
        foreach (var liters in new[] { 0.001m, 44.999m, 1_000_000m })
            Assert.Equal(liters, Liters.FromMilliliters(Liters.ToMilliliters(liters)));
    }

    [Fact]
    public void LookupCursorsRoundTripAndForgeriesAreRejected()
    {
        var cursor = new LookupCursor(44.5m, "courier|7");

        Assert.Equal(cursor, LookupCursor.TryDecode(cursor.Encode()));
        Assert.Null(LookupCursor.TryDecode("%%%"));
        Assert.Null(LookupCursor.TryDecode(Cursors.Encode("not-a-number|x")));
        Assert.Null(LookupCursor.TryDecode(Cursors.Encode("12|")));
    }
}
