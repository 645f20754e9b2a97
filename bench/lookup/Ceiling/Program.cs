// The framework's ceiling on this machine: Kestrel answering a fixed body (the bytes of a real lookup
// answer) from memory, with no store, no authentication and no serialization.
// It answers a reservation's POST too (the request body read and dropped, 201 with the file's bytes).
// Usage: BODY_FILE=FILE dotnet Ceiling.dll --urls http://127.0.0.1:PORT
var body = File.ReadAllBytes(Environment.GetEnvironmentVariable("BODY_FILE")!);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/couriers/lookup", async context =>
{
    context.Response.ContentType = "application/json; charset=utf-8";
    await context.Response.Body.WriteAsync(body);
});
app.MapPost("/couriers/{id}/reservations", async context =>
{
    await context.Request.Body.CopyToAsync(Stream.Null);
    context.Response.StatusCode = StatusCodes.Status201Created;
    context.Response.ContentType = "application/json; charset=utf-8";
    await context.Response.Body.WriteAsync(body);
});
app.Run();
