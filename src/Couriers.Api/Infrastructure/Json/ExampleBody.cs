namespace Couriers.Api.Infrastructure.Json;

// A request record's example: the OpenAPI document shows it serialized with the API's own options, and
// the contract test sends it, so the example is always a body the service accepts.
internal interface IExampleBody<TSelf> where TSelf : IExampleBody<TSelf>
{
    static abstract TSelf Example { get; }
}
