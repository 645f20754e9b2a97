using System.Net;
using Couriers.Api.Tests.EndToEnd;
using Couriers.Testing;

namespace Couriers.Api.Tests.Health;

public sealed class HealthAndDocsTests
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
    [InlineData("Storage__Provider", "Oracle", "Storage:Provider")]
    [InlineData("Storage__Sqlite__Synchronous", "SOMETIMES", "Storage:Sqlite:Synchronous")]
    [InlineData("Storage__Sqlite__Path", "", "Storage:Sqlite:Path")]
    [InlineData("Storage__Provider", "DynamoDb", "Storage:DynamoDb:Region")]
    public async Task BadConfigurationStopsStartupWithAMessageNamingTheSetting(string variable, string value, string named)
    {
        using var folder = new TempDirectory();

        // The real process, as an operator starts it: it must exit, not serve, and say which setting is wrong.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync(folder.File("couriers.db"), new Dictionary<string, string> { [variable] = value }));

        Assert.Contains("exited before listening", error.Message);
        Assert.Contains(named, error.Message);
    }
}
