using ModelFunctions.Bench.Floor;

// Two modes on one model file:
//   --model <path> --urls <url>                      bare endpoint: POST /infer with a V2 JSON body
//   --model <path> --in-process --rows N --seconds S [--concurrency C]
//                                                    timed InferenceSession.Run loops (C threads, one session), one JSON line on stdout
var options = FloorOptions.Parse(args);
using var session = new FloorSession(options.ModelPath);

if (options.InProcess)
{
    var result = InProcessBenchmark.Run(session, options.Rows, options.Concurrency, TimeSpan.FromSeconds(options.Seconds), options.MaxCalls);
    Console.WriteLine(result.ToJson());
    return;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/infer", (HttpContext context) => BareEndpoint.HandleAsync(context, session));
app.MapGet("/health", () => Results.Ok());
app.Run();
