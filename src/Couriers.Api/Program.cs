using Couriers.Api.Assignments;
using Couriers.Api.Couriers;
using Couriers.Api.Drivers;
using Couriers.Api.Health;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Api.Infrastructure.OpenApi;
using Couriers.Api.Operations;
using Couriers.Api.OperationsConsole;
using Couriers.Api.Packages;
using Couriers.Api.Security;
using Couriers.Api.Telemetry;
using Couriers.Core.Assignment;
using Couriers.Storage;
using Microsoft.Extensions.Options;

// The container's HEALTHCHECK: probe /health/ready and exit, before any host is built.
if (HealthProbe.IsRequested(args))
{
    Environment.ExitCode = await HealthProbe.RunAsync(args, Console.Out);
    return;
}

var builder = WebApplication.CreateBuilder(args);

// The Stuart API's curls call localhost:3000 and the logistics centre's localhost:8000;
// --urls or ASPNETCORE_URLS replaces both.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    builder.WebHost.UseUrls("http://localhost:3000", "http://localhost:8000");
var limits = builder.Configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Each endpoint reads at most its own limit (JsonBody); this is the ceiling for all of them.
    kestrel.Limits.MaxRequestBodySize = limits.LargestBodyBytes;
    kestrel.AddServerHeader = false;
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCourierStore(builder.Configuration);
builder.AddServiceTelemetry(); // right after the store: it times each store call once
builder.Services.AddOperationalLog(builder.Configuration); // after the store: it decorates the store ports
builder.Services.AddApiSecurity(builder.Configuration);
builder.Services.AddSingleton<DailyAssignment>();
builder.Services.Configure<SeedOptions>(builder.Configuration.GetSection("Seed"));
builder.Services.AddHostedService<DevelopmentSeed>();
builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
{
    // snake_case like every other member of the API, and the W3C trace id alone (what a trace backend
    // searches by), not the framework's full traceparent-shaped Activity.Id.
    context.ProblemDetails.Extensions.Remove("traceId");
    context.ProblemDetails.Extensions["trace_id"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
});
builder.Services.AddSingleton<StoreCircuit>();
builder.Services.AddExceptionHandler<FaultExceptionHandler>();
builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [HealthEndpoints.ReadyTag]);
builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
builder.Services.AddSingleton<JsonRequestReader>();
builder.Services.AddApiDocument();

var app = builder.Build();
// Bad settings stop startup here, before app.Run: the same checks Run would make, but thrown before the
// host starts and disposes itself (a test host waiting on it then sees this error, not a disposed host).
app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
if (app.Services.GetRequiredService<ApiKeyRegistry>().IsOpen) app.Services.GetRequiredService<OpenModeWarnings>().AtStartup();

app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (auth.PublicDocs) UseDocsPage(app);
app.UseAuthentication();
app.UseMiddleware<ClientLogScopeMiddleware>();
// After authentication, so each client has its own bucket; before authorization, so a flood of bad keys is limited too.
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestTimeouts();
app.UseMiddleware<StoreCircuitMiddleware>();
if (!auth.PublicDocs) UseDocsPage(app);

var openApi = app.MapOpenApi();
if (auth.PublicDocs) openApi.AllowAnonymous();
else openApi.RequireAuthorization(Policies.Read);
app.MapHealth();
app.MapOperationalLog();
app.MapMetrics();
app.MapCouriers().MapCourierLookup().MapReservations();
app.MapDrivers().MapDriverLists();
app.MapPackages();
app.MapAssign();
app.MapUpdate();
app.MapCurrentKey();
app.MapConsole();

app.Run();

static void UseDocsPage(WebApplication app) => app.UseSwaggerUI(ui =>
{
    ui.SwaggerEndpoint("/openapi/v1.json", ApiDocument.Title);
    ui.DocumentTitle = ApiDocument.Title;
    ui.RoutePrefix = "docs";
});

public partial class Program;
