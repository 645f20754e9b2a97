using System.Net;

namespace Couriers.Api.Tests;

public sealed class OperationsTests
{
    [Fact]
    public async Task LivenessAndReadinessAreHealthyWhenTheStoreAnswers()
    {
        await using var api = new CourierApiFactory();
        using var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheCourierEndpointsAndTheBrowsablePageServesIt()
    {
        await using var api = new CourierApiFactory();
        using var client = api.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).Json();
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/couriers", "/couriers/{id}", "/couriers/lookup", "/couriers/{id}/reservations" })
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        Assert.True(paths.GetProperty("/couriers").GetProperty("post").TryGetProperty("requestBody", out _));

        var page = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Storage:Provider", "Oracle", "Storage:Provider")]
    [InlineData("Storage:Sqlite:Synchronous", "SOMETIMES", "Storage:Sqlite:Synchronous")]
    [InlineData("Storage:Sqlite:Path", "", "Path")]
    [InlineData("Storage:Provider", "DynamoDb", "Region")]
    public async Task BadConfigurationStopsStartupWithAMessageNamingTheSetting(string key, string value, string named)
    {
        await using var api = new CourierApiFactory().With(key, value);

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(named, error.ToString());
    }
}
