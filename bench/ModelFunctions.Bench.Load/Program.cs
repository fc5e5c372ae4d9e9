using ModelFunctions.Bench.Load;

// Bounded load against one URL; prints one JSON line: requests, errors, rps, p50_ms, p99_ms.
var options = LoadOptions.Parse(args);
var bodies = RequestBodies.CreateAll(options);
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds + 60));
var result = await LoadRunner.RunAsync(options, bodies, cts.Token);
Console.WriteLine(result.ToJson());
return result.Requests > 0 ? 0 : 1;
