using System.Text.Json;
using Couriers.Api.Assignments;
using Couriers.Api.Couriers;
using Couriers.Api.Health;
using Couriers.Api.Infrastructure;
using Couriers.Api.Operations;
using Couriers.Api.Packages;
using Couriers.Core.Assignment;
using Couriers.Storage;

// The container's HEALTHCHECK: probe /health/ready and exit, before any host is built.
if (HealthProbe.IsRequested(args))
{
    Environment.ExitCode = await HealthProbe.RunAsync(args, Console.Out);
    return;
}

var builder = WebApplication.CreateBuilder(args);

// The seeds' curls call localhost:3000 (Stuart) and localhost:8000 (the interview's Makefile);
// --urls or ASPNETCORE_URLS replaces both.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    builder.WebHost.UseUrls("http://localhost:3000", "http://localhost:8000");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Limits.BulkBodyBytes);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCourierStore(builder.Configuration);
builder.Services.AddOperationalLog(builder.Configuration); // after the store: it decorates the store ports
builder.Services.AddSingleton<DailyAssignment>();
builder.Services.Configure<SeedOptions>(builder.Configuration.GetSection("Seed"));
builder.Services.AddHostedService<DevelopmentSeed>();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<StoreCircuit>();
builder.Services.AddExceptionHandler<FaultExceptionHandler>();
builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [HealthEndpoints.ReadyTag]);
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.DictionaryKeyPolicy = null;
});
builder.Services.AddOpenApi();

var app = builder.Build();
// Bad settings stop startup here, before app.Run: the same checks Run would make, but thrown before the
// host starts and disposes itself (a test host waiting on it then sees this error, not a disposed host).
app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<StoreCircuitMiddleware>();

app.MapOpenApi();
app.UseSwaggerUI(ui =>
{
    ui.SwaggerEndpoint("/openapi/v1.json", "Courier Capacity API");
    ui.RoutePrefix = "docs";
});
app.MapHealth();
app.MapOperationalLog();
app.MapCouriers().MapCourierLookup().MapReservations().MapReconcile();
app.MapDrivers();
app.MapPackages();
app.MapAssign();
app.MapUpdate();

app.Run();

public partial class Program;
