namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>Every template under infra/ through the real Bicep compiler: no error and no linter warning, anywhere.</summary>
public sealed class BicepTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("mf-bicep-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task EveryTemplate_BuildsAndLints_WithoutAnErrorOrWarning()
    {
        var files = Directory.GetFiles(RepositoryRoot.File("infra"), "*.bicep", SearchOption.AllDirectories);
        Assert.Equal(9, files.Length);

        var result = await Bicep.CheckAsync("infra/**/*.bicep", _scratch);

        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0, $"exit {result.ExitCode}\n{string.Join('\n', result.Diagnostics.DefaultIfEmpty(result.Output))}");
        // Every file was compiled, not only the ones main.bicep reaches.
        Assert.Equal(files.Length, Directory.GetFiles(_scratch, "*.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task TheCheck_FailsOnASyntaxError_AndOnALinterWarning()
    {
        var broken = Path.Combine(_scratch, "broken", "main.bicep");
        var unused = Path.Combine(_scratch, "unused", "main.bicep");
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        Directory.CreateDirectory(Path.GetDirectoryName(unused)!);
        await File.WriteAllTextAsync(broken, "param name string = 'a'\nvar ok = 1\nvar total = max(1, 2\n");
        await File.WriteAllTextAsync(unused, "param neverRead string\noutput answer int = 42\n");

        var error = await Bicep.CheckAsync(broken, Path.Combine(_scratch, "out-broken"));
        var warning = await Bicep.CheckAsync(unused, Path.Combine(_scratch, "out-unused"));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains(error.Diagnostics, d => d.StartsWith(broken + "(", StringComparison.Ordinal) && d.Contains(": Error ", StringComparison.Ordinal));
        Assert.Equal(0, warning.ExitCode);
        Assert.Contains(warning.Diagnostics, d => d.Contains("Warning no-unused-params", StringComparison.Ordinal));
    }
}
