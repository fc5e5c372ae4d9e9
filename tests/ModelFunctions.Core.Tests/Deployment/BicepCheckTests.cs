namespace ModelFunctions.Core.Tests.Deployment;

// One class, so the first-use npm install of the checker never runs twice at once.
public sealed class BicepCheckTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bicep-check-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task RepositoryTemplates_HaveNoSyntaxErrorsOrModuleMismatches()
    {
        var result = await BicepCheck.RunAsync([], CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("9 Bicep file(s) parsed without syntax errors or module mismatches", result.StandardOutput);
    }

    [Fact]
    public async Task BrokenTemplate_IsReportedWithFileLineAndColumn()
    {
        var broken = Path.Combine(_scratch, "broken.bicep");
        await File.WriteAllTextAsync(
            broken,
            "param name string = 'a'\nvar ok = 1\nvar total = max(1, 2\n",
            CancellationToken.None);

        var result = await BicepCheck.RunAsync([broken], CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{broken}:3:", result.StandardError);
    }

    [Fact]
    public async Task ModuleCall_WithUndeclaredParameterOrOutput_IsReported()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "modules"));
        await File.WriteAllTextAsync(
            Path.Combine(_scratch, "modules", "child.bicep"),
            "param required string\nparam optional int = 1\noutput id string = required\n",
            CancellationToken.None);
        var main = Path.Combine(_scratch, "main.bicep");
        await File.WriteAllTextAsync(
            main,
            "module child 'modules/child.bicep' = {\n  name: 'child'\n  params: {\n    requird: 'x'\n  }\n}\noutput o string = child.outputs.name\n",
            CancellationToken.None);

        var result = await BicepCheck.RunAsync([_scratch], CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{main}:4:5: 'modules/child.bicep' declares no parameter 'requird'", result.StandardError);
        Assert.Contains("required parameter 'required' of 'modules/child.bicep' is not passed", result.StandardError);
        Assert.Contains($"{main}:7:33: 'modules/child.bicep' declares no output 'name'", result.StandardError);
    }
}
