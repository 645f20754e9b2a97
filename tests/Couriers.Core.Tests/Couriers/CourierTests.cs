using Couriers.Core.Couriers;

namespace Couriers.Core.Tests.Couriers;

public sealed class CourierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static Courier Make(decimal? max, decimal declared = 0m, decimal reserved = 0m) => new("c1", max, declared, reserved, 1, Now, Now);

    [Fact]
    public void AvailableRoomIsMaxMinusDeclaredAndReservedLoad()
    {
        var courier = Make(45m, declared: 5m, reserved: 10.5m);

        Assert.Equal(15.5m, courier.UsedCapacity);
        Assert.Equal(29.5m, courier.AvailableCapacity);
    }

    [Fact]
    public void ACourierWithoutMaxCapacityHasRoomForAnything()
    {
        var driver = Make(null, reserved: 5000m);

        Assert.Null(driver.AvailableCapacity);
        Assert.True(driver.HasRoomFor(Liters.Max));
    }

    [Theory]
    [InlineData(10, 10, true)]
    [InlineData(10, 10.001, false)]
    [InlineData(10, 0.001, true)]
    public void RoomIsInclusiveOfTheExactRemainder(decimal available, decimal volume, bool fits) =>
        Assert.Equal(fits, Make(available).HasRoomFor(volume));

    [Fact]
    public void DeclaringAvailableRoomSetsDeclaredLoadOnTopOfReservations()
    {
        var result = new CourierChange(null, 20m).ApplyTo(Make(45m, declared: 3m, reserved: 10m), Now);

        Assert.NotNull(result.Updated);
        Assert.Equal(15m, result.Updated.DeclaredLoad);
        Assert.Equal(20m, result.Updated.AvailableCapacity);
        Assert.Equal(2, result.Updated.Version);
    }

    [Fact]
    public void DeclaringMoreRoomThanTheReservationsLeaveIsRefused()
    {
        var result = new CourierChange(null, 36m).ApplyTo(Make(45m, reserved: 10m), Now);

        Assert.Null(result.Updated);
        Assert.Equal("available_capacity", result.Field);
    }

    [Fact]
    public void ChangingMaxAndAvailableTogetherUsesTheNewMax()
    {
        var result = new CourierChange(100m, 90m).ApplyTo(Make(45m, reserved: 10m), Now);

        Assert.Equal(100m, result.Updated!.MaxCapacity);
        Assert.Equal(0m, result.Updated.DeclaredLoad);
        Assert.Equal(90m, result.Updated.AvailableCapacity);
    }

    [Fact]
    public void LoweringMaxUnderTheLoadInUseIsRefused()
    {
        var result = new CourierChange(12m, null).ApplyTo(Make(45m, declared: 3m, reserved: 10m), Now);

        Assert.Null(result.Updated);
        Assert.Equal("max_capacity", result.Field);
    }

    [Fact]
    public void LoweringMaxToExactlyTheLoadInUseIsAllowed()
    {
        var result = new CourierChange(13m, null).ApplyTo(Make(45m, declared: 3m, reserved: 10m), Now);
        Assert.Equal(0m, result.Updated!.AvailableCapacity);
    }

    [Fact]
    public void AvailableRoomCannotBeDeclaredForADriverWithoutALimit() =>
        Assert.Equal("available_capacity", new CourierChange(null, 5m).ApplyTo(Make(null), Now).Field);
}
