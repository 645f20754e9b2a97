using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Couriers.Api.Couriers;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Packages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Couriers.Bench.Reader;

/// <summary>
/// The request reader (docs/decisions/0006) on the bodies it reads most and largest, beside the floor:
/// System.Text.Json deserializing the same bytes into the same record with the same options and no checks.
/// The gap is what reading within limits, checking every field and naming errors costs.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private static readonly byte[] Courier = Encoding.UTF8.GetBytes("""{"id": 1234, "max_capacity": 45}""");
    private static readonly byte[] Refused = Encoding.UTF8.GetBytes("""{"id": 1.5, "max_capacity": "45", "colour": "red"}""");
    private static readonly byte[] Packages = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 50_000).Select(i =>
        $$"""{"package_id":"pkg_{{i}}","weight_kg":5.5,"is_perishable":false,"is_express":true,"is_fragile":false,"region":"north","distance_km":12.5,"hazmat_class":null,"temperature_c":20,"delivery_hour":10,"volume_m3":0.1}""")) + "]");

    private JsonRequestReader _reader = null!;
    private JsonSerializerOptions _options = null!;
    private IServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The service's own JSON options, as Program.cs configures them.
        var services = new ServiceCollection().AddSingleton(new LimitsOptions()).AddSingleton<JsonRequestReader>();
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        _services = services.BuildServiceProvider();
        _reader = _services.GetRequiredService<JsonRequestReader>();
        _options = _services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
    }

    [Benchmark(Baseline = true)]
    public object? CourierFloor() => JsonSerializer.Deserialize<CreateCourierRequest>(Courier, _options);

    [Benchmark]
    public async Task<object?> CourierReader() => (await _reader.ReadAsync<CreateCourierRequest>(Context(Courier, BodySize.Small))).Value;

    [Benchmark]
    public async Task<object?> RefusedCourierReader() => (await _reader.ReadAsync<CreateCourierRequest>(Context(Refused, BodySize.Small))).Problem;

    [Benchmark]
    public object? Packages50kFloor() => JsonSerializer.Deserialize<PackageBatch>(Packages, _options);

    [Benchmark]
    public async Task<object?> Packages50kReader() => (await _reader.ReadAsync<PackageBatch>(Context(Packages, BodySize.Bulk))).Value;

    private DefaultHttpContext Context(byte[] body, BodySize size)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new BodyLimit(size)), "bench"));
        return context;
    }
}
