namespace Couriers.Core.Deliveries;

public enum Region
{
    North,
    East,
    South,
    West,
}
