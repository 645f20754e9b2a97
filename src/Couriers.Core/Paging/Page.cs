namespace Couriers.Core.Paging;

public sealed record PageRequest<TCursor>(int Limit, TCursor? After);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
