namespace Couriers.Core.Couriers;

public sealed record NewCourier(string Id, decimal? MaxCapacity);
