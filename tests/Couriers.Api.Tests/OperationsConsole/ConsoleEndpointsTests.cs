using System.Net;
using Couriers.Api.Tests.Support;

namespace Couriers.Api.Tests.OperationsConsole;

/// <summary>The console's files as the service serves them; what the page does with them is Couriers.Console.Tests'.</summary>
public sealed class ConsoleEndpointsTests
{
    [Theory]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/js/app.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    [InlineData("/console/icon.svg", "image/svg+xml")]
    public async Task EachFileIsServedWithoutAKeyWithItsTypeAndTheConsolesOwnPolicy(string path, string type)
    {
        await using var api = new CourierApiFactory();
        using var keyless = api.ClientWith(null);

        var response = await keyless.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task AnUnchangedFileIsA304AndTheBareRouteRedirectsToThePage()
    {
        await using var api = new CourierApiFactory();
        using var keyless = api.ClientWith(null);
        var first = await keyless.GetAsync("/console/js/api.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/js/api.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        Assert.Equal(HttpStatusCode.NotModified, (await keyless.SendAsync(again)).StatusCode);
        // The client follows the redirect to the page's one address.
        var bare = await keyless.GetAsync("/console");
        Assert.Equal("/console/", bare.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("text/html", bare.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/../appsettings.json")]
    [InlineData("/console/%2e%2e/appsettings.json")]
    [InlineData("/console/js/../../appsettings.json")]
    public async Task OnlyTheConsolesOwnFilesAreServed(string path)
    {
        await using var api = new CourierApiFactory();
        using var keyless = api.ClientWith(null);

        var response = await keyless.GetAsync(path);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Storage", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
