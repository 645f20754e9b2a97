using System.Text.Json;

namespace Couriers.Testing;

/// <summary>The audit the soak and crash tests run over HTTP once the load has stopped.</summary>
public static class CapacityAudit
{
    /// <summary>The courier's reserved room is exactly the sum of its active reservations, and within its limit; returns them.</summary>
    public static async Task<List<JsonElement>> AssertExactAsync(HttpClient client, string id)
    {
        var courier = await (await client.GetAsync($"/couriers/{id}")).Json();
        var active = (await (await client.GetAsync($"/couriers/{id}/reservations")).Json()).GetProperty("data").EnumerateArray().ToList();
        Assert.True(courier.Decimal("used_capacity") <= courier.Decimal("max_capacity"), $"{id} is overbooked");
        Assert.True(active.Sum(r => r.Decimal("volume")) == courier.Decimal("reserved_capacity"),
            $"{id} reserves {courier.Decimal("reserved_capacity")} L against {active.Sum(r => r.Decimal("volume"))} L held");
        return active;
    }
}
