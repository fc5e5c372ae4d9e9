namespace ModelFunctions.Core.Tests.Deployment;

/// <summary>Exit code and output of one run of infra/tools/check.</summary>
internal sealed record BicepCheckResult(int ExitCode, string StandardOutput, string StandardError);
