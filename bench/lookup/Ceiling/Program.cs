// The framework's ceiling on this machine: Kestrel answering a fixed body (the bytes of a real lookup
// answer) from memory, with no store, no authentication and no serialization.
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
app.Run();
