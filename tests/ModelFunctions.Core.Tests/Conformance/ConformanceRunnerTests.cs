using ModelFunctions.Core.Tests.Onnx;

namespace ModelFunctions.Core.Tests.Conformance;

public sealed class ConformanceRunnerTests : IDisposable
{
    private const string AddCase = "/usr/share/libonnx-testdata/data/node/test_add";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "conformance-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Run_UnchangedCase_Passes()
    {
        var caseDir = CopyCase();

        var result = new ConformanceRunner().Run("node", caseDir, CancellationToken.None);

        Assert.Equal(CaseOutcome.Passed, result.Outcome);
        Assert.Equal("node/test_add", result.Id);
    }

    [Fact]
    public void Run_WrongExpectedOutput_FailsNamingTheElement()
    {
        var caseDir = CopyCase();
        // test_add: z = x + y, all [3, 4, 5] float; expect zeros instead.
        byte[] zeros =
        [
            .. ProtoBytes.VarintField(1, 3), .. ProtoBytes.VarintField(1, 4), .. ProtoBytes.VarintField(1, 5),
            .. ProtoBytes.VarintField(2, 1), .. ProtoBytes.String(8, "sum"), .. ProtoBytes.Message(9, new byte[60 * 4]),
        ];
        File.WriteAllBytes(Path.Combine(caseDir, "test_data_set_0", "output_0.pb"), zeros);

        var result = new ConformanceRunner().Run("node", caseDir, CancellationToken.None);

        Assert.Equal(CaseOutcome.Failed, result.Outcome);
        Assert.Contains("output 'sum' has element 0", result.Message);
    }

    [Fact]
    public void Run_CorruptModel_FailsWithoutThrowing()
    {
        var caseDir = CopyCase();
        File.WriteAllBytes(Path.Combine(caseDir, "model.onnx"), [1, 2, 3]);

        var result = new ConformanceRunner().Run("node", caseDir, CancellationToken.None);

        Assert.Equal(CaseOutcome.Failed, result.Outcome);
        Assert.StartsWith("ModelLoadException", result.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string CopyCase()
    {
        Assert.True(Directory.Exists(AddCase), "libonnx-testdata is missing: apt-get install libonnx-testdata");
        var target = Path.Combine(_folder, "test_add");
        foreach (var file in Directory.GetFiles(AddCase, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(AddCase, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
