using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Couriers.Testing;

/// <summary>Requests as the service's clients send them, and their answers as JSON.</summary>
public static class Http
{
    /// <summary>curl's --data sends this Content-Type; clients' curl commands rely on it being accepted.</summary>
    public const string CurlFormType = "application/x-www-form-urlencoded";

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string path, string? body = null,
        string contentType = CurlFormType, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, string body) => client.Send(HttpMethod.Post, path, body);

    /// <summary>For a test's setup: the request must have succeeded, or the test stops here.</summary>
    public static async Task<HttpResponseMessage> Succeeds(this Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"setup request failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static decimal Decimal(this JsonElement element, string name) => element.GetProperty(name).GetDecimal();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static IReadOnlyList<string> Ids(this JsonElement envelope) =>
        envelope.GetProperty("data").EnumerateArray().Select(c => c.Str("id")).ToList();
}
