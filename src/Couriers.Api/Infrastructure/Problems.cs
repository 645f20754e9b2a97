using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Couriers.Api.Infrastructure;

// Every problem+json answer is built here: the endpoints' results, and the writes of middleware and handlers
// (authentication, rate limits, timeouts, the store circuit, exceptions), which go through the same
// IProblemDetailsService so each carries the trace_id.
internal static class Problems
{
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Type = ProblemTypes.Validation,
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = "See errors: each key names the field (a JSON path into the body, or a query or route parameter).",
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what, string id) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, $"{what} not found.", $"No {what.ToLowerInvariant()} has id '{id}'.");

    public static ProblemHttpResult Conflict(string type, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, type, title, detail, extensions);

    public static ProblemHttpResult PreconditionFailed(long currentVersion) =>
        Problem(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "The resource has changed.",
            "If-Match does not match the current ETag; read the resource again and retry.",
            new() { ["current_etag"] = ETags.Format(currentVersion) });

    public static ProblemHttpResult Problem(int status, string type, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        var problem = Details(status, type, title, detail);
        foreach (var (key, value) in extensions ?? []) problem.Extensions[key] = value;
        return TypedResults.Problem(problem);
    }

    /// <summary>Writes the problem as the response, outside an endpoint; false if no writer took it.</summary>
    public static async ValueTask<bool> WriteAsync(HttpContext context, int status, string type, string title, string? detail = null, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        return await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = Details(status, type, title, detail),
        });
    }

    private static ProblemDetails Details(int status, string type, string title, string? detail) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };
}
