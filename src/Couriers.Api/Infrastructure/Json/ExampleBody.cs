namespace Couriers.Api.Infrastructure.Json;

/// <summary>
/// A request record's example: the OpenAPI document shows it serialized with the API's own options, and
/// the contract test sends it, so the example is always a body the service accepts.
/// </summary>
internal interface IExampleBody<TSelf> where TSelf : IExampleBody<TSelf>
{
    static abstract TSelf Example { get; }
}
