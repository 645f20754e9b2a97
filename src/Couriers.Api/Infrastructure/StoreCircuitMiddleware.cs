using Couriers.Core;

namespace Couriers.Api.Infrastructure;

/// <summary>
/// Answers 503 while the store circuit is open, and feeds the circuit with each request's outcome.
/// Health endpoints pass through so readiness keeps probing the store itself.
/// </summary>
internal sealed class StoreCircuitMiddleware(RequestDelegate next, StoreCircuit circuit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }
        if (circuit.SecondsUntilRetry() is var wait and > 0)
        {
            context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable,
                "The store is unavailable; retry later.", $"Recent requests could not reach the store; retry in {wait} s.");
            return;
        }
        try
        {
            await next(context);
            if (context.Response.StatusCode < StatusCodes.Status500InternalServerError) circuit.RecordSuccess();
        }
        catch (StoreUnavailableException e)
        {
            // Contention on one busy item is no outage: it must not close the API for everyone.
            if (e is not StoreContentionException) circuit.RecordFailure();
            throw; // the exception handler writes the 503
        }
    }
}
