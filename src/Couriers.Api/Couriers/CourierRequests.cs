using System.ComponentModel.DataAnnotations;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;

namespace Couriers.Api.Couriers;

// The bodies the Stuart API and the Dispatcher send about couriers. Each record is what the reader binds,
// what it checks, and what the OpenAPI document describes.

// POST /couriers.
internal sealed record CreateCourierRequest(Id Id, [property: Liters] decimal MaxCapacity) : IExampleBody<CreateCourierRequest>
{
    public static CreateCourierRequest Example => new(new Id("1234"), 45m);
}

// POST /couriers/batch: the Stuart API's full sync, capped like a driver batch; all or nothing on SQLite.
[Configured(nameof(LimitsOptions.MaxDriversPerBatch))]
internal sealed class CourierBatch : List<CreateCourierRequest>, IExampleBody<CourierBatch>, IValidatableObject
{
    public static CourierBatch Example => [CreateCourierRequest.Example, new(new Id("1235"), 30m)];

    public IEnumerable<ValidationResult> Validate(ValidationContext context) => Limited.Batch(context, this, c => c.Id, "id");
}

// PUT /couriers/{id}: the courier's whole state as the Stuart API knows it.
internal sealed record ReplaceCourierRequest([property: Liters] decimal MaxCapacity) : IExampleBody<ReplaceCourierRequest>
{
    public static ReplaceCourierRequest Example => new(45m);
}

// PATCH /couriers/{id}: a new vehicle limit, or the room left once untracked load is counted.
internal sealed record UpdateCourierRequest(
    [property: Liters] decimal? MaxCapacity = null,
    [property: Liters(AllowZero = true)] decimal? AvailableCapacity = null) : IExampleBody<UpdateCourierRequest>, IValidatableObject
{
    public static UpdateCourierRequest Example => new(MaxCapacity: 60m);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (MaxCapacity is null && AvailableCapacity is null) yield return Limited.Error("max_capacity", "give max_capacity, available_capacity or both");
    }
}

// POST /couriers/{id}/reservations.
internal sealed record ReserveRequest(Id Reference, [property: Liters] decimal Volume) : IExampleBody<ReserveRequest>
{
    public static ReserveRequest Example => new(new Id("pkg-1"), 10m);
}
