using Couriers.Testing;

namespace Couriers.Api.Tests.Security;

/// <summary>One service instance shared by the tests of a class (a table of cases on one store).</summary>
public abstract class ApiFixture : IAsyncLifetime
{
    public CourierApiFactory Api { get; private set; } = null!;

    protected abstract Task<CourierApiFactory> CreateAsync();

    public async Task InitializeAsync() => Api = await CreateAsync();

    public virtual async Task DisposeAsync() => await Api.DisposeAsync();
}

public class SqliteApiFixture : ApiFixture
{
    protected override Task<CourierApiFactory> CreateAsync() => Task.FromResult(new CourierApiFactory());
}

/// <summary>On Kestrel over loopback: real HTTP parsing, for requests the in-memory test server cannot carry.</summary>
public sealed class SqliteKestrelApiFixture : SqliteApiFixture
{
    protected override async Task<CourierApiFactory> CreateAsync() => (await base.CreateAsync()).OnKestrel();
}

/// <summary>
/// The service on DynamoDB, on tables of its own in the assembly's DynamoDB Local: xunit gives a class
/// fixture no other fixture, and a table of cases wants one instance, not one per case.
/// </summary>
public class DynamoApiFixture : ApiFixture
{
    private readonly DynamoDbLocalFixture _dynamoDb = new();

    protected override async Task<CourierApiFactory> CreateAsync()
    {
        await _dynamoDb.InitializeAsync();
        return CourierApiFactory.OnDynamoDb(_dynamoDb);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _dynamoDb.DisposeAsync();
    }
}

public sealed class DynamoKestrelApiFixture : DynamoApiFixture
{
    protected override async Task<CourierApiFactory> CreateAsync() => (await base.CreateAsync()).OnKestrel();
}
