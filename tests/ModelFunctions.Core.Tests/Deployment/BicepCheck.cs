using System.Diagnostics;

namespace ModelFunctions.Core.Tests.Deployment;

/// <summary>Runs the repository's Bicep syntax check (bash + node, installs its npm packages on first use).</summary>
internal static class BicepCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<BicepCheckResult> RunAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);

        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        startInfo.ArgumentList.Add(RepositoryRoot.File(System.IO.Path.Combine("infra", "tools", "check")));
        foreach (var path in paths)
        {
            startInfo.ArgumentList.Add(path);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new BicepCheckResult(process.ExitCode, await stdout, await stderr);
    }
}
