using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>
/// The real Bicep compiler (NuGet package Azure.Bicep.CommandLine.linux-x64, fetched by this project's restore): builds
/// and lints templates, and returns every diagnostic it printed.
/// </summary>
internal static partial class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Where the restore put the compiler.</summary>
    public static string CompilerPath { get; } = typeof(Bicep).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!;

    /// <summary>Runs <c>bicep build</c> (into <paramref name="outputFolder"/>) and <c>bicep lint</c> on every file the glob pattern matches.</summary>
    public static async Task<BicepResult> CheckAsync(string pattern, string outputFolder)
    {
        var build = await RunAsync("build", "--pattern", pattern, "--outdir", outputFolder);
        var lint = await RunAsync("lint", "--pattern", pattern);
        return new BicepResult(
            Math.Max(build.ExitCode, lint.ExitCode),
            build.Diagnostics.Concat(lint.Diagnostics).Distinct().ToList(),
            build.Output + lint.Output);
    }

    /// <summary>Compiles a file to its ARM JSON.</summary>
    public static async Task<JsonDocument> CompileAsync(string file)
    {
        var (exit, stdout, stderr) = await ExecAsync("build", file, "--stdout");
        Assert.True(exit == 0, $"bicep build {file} failed:\n{stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await ExecAsync(arguments);
        // Diagnostics go to stderr as "<file>(<line>,<column>) : <Level> <code>: <message>".
        var diagnostics = stderr.Split('\n').Select(l => l.Trim()).Where(l => Diagnostic().IsMatch(l)).ToList();
        return new BicepResult(exit, diagnostics, stdout + stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(params string[] arguments)
    {
        // Relative glob patterns are resolved against the working directory: the repository root.
        Assert.True(File.Exists(CompilerPath), $"The Bicep compiler is not at {CompilerPath}: restore ModelFunctions.Functions.Tests.");
        var start = new ProcessStartInfo(CompilerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update checks: these machines have no internet.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"\(\d+,\d+\) : (Error|Warning|Info) ")]
    private static partial Regex Diagnostic();
}
