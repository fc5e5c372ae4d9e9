namespace ModelFunctions.Server;

/// <summary>One job <see cref="MonitoringScheduler"/> runs: its lock name, its NCRONTAB expression and what it runs.</summary>
/// <param name="Name">Name of the schedule; the lease is taken on <c>{Name}.lock</c>.</param>
/// <param name="Expression">Six-field NCRONTAB expression.</param>
/// <param name="RunAsync">The checks of one tick; the token is cancelled at shutdown or when the lease is lost.</param>
internal sealed record MonitoringSchedule(string Name, string Expression, Func<CancellationToken, Task> RunAsync);
