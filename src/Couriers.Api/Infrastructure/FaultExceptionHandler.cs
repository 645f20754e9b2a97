using Couriers.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace Couriers.Api.Infrastructure;

/// <summary>
/// The one place exceptions become answers: a store outage is a 503 the client may retry, a request
/// Kestrel itself refused (oversized or cut-off body) keeps its 4xx. Anything else stays a 500
/// without internals, logged by the framework.
/// </summary>
internal sealed class FaultExceptionHandler : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, type, title) = exception switch
        {
            StoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable, "The store is unavailable; retry later."),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (bad.StatusCode, ProblemTypes.PayloadTooLarge, "The request body is too large."),
            BadHttpRequestException bad => (bad.StatusCode, ProblemTypes.Validation, "The request could not be read."),
            _ => (0, "", ""),
        };
        if (status == 0) return false;

        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await Problems.WriteAsync(context, status, type, title, exception: exception);
    }
}
