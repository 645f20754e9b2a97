using System.Net;

namespace Couriers.Api.Tests.Couriers;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ParallelReservationsOverHttpTakeExactlyTheRoomThereIsAndCountEachReferenceOnce()
    {
        await using var api = new CourierApiFactory().OnKestrel();
        using var client = api.CreateClient();
        await client.Post("/couriers", """{"id": "c1", "max_capacity": 100}""");

        // 80 requests, 40 references each sent twice, 5 L each: 100 L fits exactly 20 packages.
        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(async i =>
        {
            var reference = $"pkg-{i % 40}";
            var response = await client.Post("/couriers/c1/reservations", $$"""{"reference": "{{reference}}", "volume": 5}""");
            return (Reference: reference, response.StatusCode);
        }));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Reference).ToList();
        var repeated = responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Reference).ToList();
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Equal(20, created.Count);
        Assert.Equal(created.Count, created.Distinct().Count());
        Assert.All(repeated, reference => Assert.Contains(reference, created));

        var courier = await (await client.GetAsync("/couriers/c1")).Json();
        Assert.Equal(100m, courier.Decimal("used_capacity"));
        Assert.Equal(0m, courier.Decimal("available_capacity"));
        var reservations = await (await client.GetAsync("/couriers/c1/reservations")).Json();
        Assert.Equal(created.Order(), reservations.GetProperty("data").EnumerateArray().Select(r => r.Str("reference")).Order());
    }
}
