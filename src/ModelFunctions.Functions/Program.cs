using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// HTTP functions answer failures with the protocol's error body, as the server's routes do.
builder.UseMiddleware<ErrorBodyMiddleware>();
builder.Services.AddModelFunctionsApp(builder.Configuration);

var app = builder.Build();
// Created at start, as the server does, so that no measurement before the first scrape is lost.
app.Services.GetRequiredService<PrometheusExporter>();
app.Run();
