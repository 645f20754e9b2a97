using Couriers.Api.Couriers;

namespace Couriers.Api.Infrastructure.OpenApi;

// Every error answer (RFC 9457 application/problem+json), as the OpenAPI document describes it: the
// standard members, errors (field → messages) and trace_id, then each problem type's own members.
// Answers are written by ProblemDetails; this record exists so that the document has one schema for them.
internal sealed record ProblemResponse(
    string Type,
    string Title,
    int Status,
    string? Detail = null,
    string? Instance = null,
    Dictionary<string, string[]>? Errors = null,
    string? TraceId = null,
    long? MaxBytes = null,
    string? CurrentEtag = null,
    CourierResponse? Current = null,
    string? Field = null,
    decimal? AvailableCapacity = null,
    decimal? Requested = null,
    string? CourierId = null,
    ReservationResponse? Existing = null,
    List<string>? UnknownDriverIds = null,
    string? CurrentStatus = null,
    List<string>? Allowed = null);
