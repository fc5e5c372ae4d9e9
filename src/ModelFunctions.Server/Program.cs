using ModelFunctions.Core;
using ModelFunctions.Server;

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddModelFunctions(builder.Configuration)
    .AddSelfHostedJobs(builder.Configuration)
    .AddServerTracing(builder.Configuration);

var app = builder.Build();
app.MapModelFunctions();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
