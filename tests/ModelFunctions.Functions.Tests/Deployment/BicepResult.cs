namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>What the compiler said about a file.</summary>
internal sealed record BicepResult(int ExitCode, IReadOnlyList<string> Diagnostics, string Output);
