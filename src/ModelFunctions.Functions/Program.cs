using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelFunctions.Core;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Serving;
using ModelFunctions.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Logging.KeepInformationInApplicationInsights();

// Function keys play the inference key's role and admin (master) keys the admin key's, through each function's
// AuthorizationLevel: ModelFunctions:Keys stays unset here and no ApiKeyFilter is added.
builder.Services
    .AddModelFunctions(builder.Configuration)
    .AddProductionWarmup();

var app = builder.Build();
// Created at start, as the server does, so that no measurement before the first scrape is lost.
app.Services.GetRequiredService<PrometheusExporter>();
app.Run();
