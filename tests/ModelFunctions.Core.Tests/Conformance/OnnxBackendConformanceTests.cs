using System.Diagnostics;
using Xunit.Abstractions;

namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>
/// Runs ONNX's own backend test data (Debian package libonnx-testdata) through the inference engine.
/// </summary>
public sealed class OnnxBackendConformanceTests(ITestOutputHelper output)
{
    private const string DefaultDataRoot = "/usr/share/libonnx-testdata/data";
    private const int RequiredPasses = 962;
    private static readonly string[] Folders = ["node", "simple", "pytorch-converted", "pytorch-operator"];

    private static string SkipListPath => Path.Combine(AppContext.BaseDirectory, "Conformance", "skip-list.txt");

    [Fact]
    public void BackendTestData_EveryCaseOutsideTheSkipListPasses()
    {
        var root = DataRoot();
        var skipList = SkipList.Load(SkipListPath);
        var cases = Folders
            .SelectMany(folder => Directory.GetDirectories(Path.Combine(root, folder))
                .Where(dir => File.Exists(Path.Combine(dir, "model.onnx")))
                .Order(StringComparer.Ordinal)
                .Select(dir => (Folder: folder, Directory: dir)))
            .ToArray();
        var runner = new ConformanceRunner();
        var results = new CaseResult[cases.Length];

        var stopwatch = Stopwatch.StartNew();
        Parallel.For(
            0,
            cases.Length,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = runner.Run(cases[i].Folder, cases[i].Directory, CancellationToken.None));
        stopwatch.Stop();

        var lines = new List<string>();
        int totalPassed = 0, totalFailed = 0, totalSkipped = 0;
        foreach (var folder in Folders)
        {
            var inFolder = results.Where(r => r.Folder == folder).ToArray();
            var skipped = inFolder.Count(r => skipList.Contains(r.Id));
            var passed = inFolder.Count(r => r.Outcome == CaseOutcome.Passed && !skipList.Contains(r.Id));
            var failed = inFolder.Length - passed - skipped;
            lines.Add($"conformance: {passed} passed, {failed} failed, {skipped} skipped ({folder})");
            totalPassed += passed;
            totalFailed += failed;
            totalSkipped += skipped;
        }

        lines.Add($"conformance: {totalPassed} passed, {totalFailed} failed, {totalSkipped} skipped (total, {stopwatch.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores)");
        var failures = results.Where(r => r.Outcome == CaseOutcome.Failed && !skipList.Contains(r.Id)).ToArray();
        var unexpected = results.Where(r => r.Outcome == CaseOutcome.Passed && skipList.Contains(r.Id)).ToArray();
        lines.AddRange(failures.Select(r => $"FAILED {r.Id}: {r.Message}"));
        lines.AddRange(unexpected.Select(r => $"skip-listed but passed (consider removing it): {r.Id}"));
        lines.AddRange(results
            .Where(r => r.Outcome == CaseOutcome.Failed && skipList.Contains(r.Id))
            .Select(r => $"skipped {r.Id} ({skipList.Reasons[r.Id]}): {r.Message}"));

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "conformance-summary.txt"), lines);

        Assert.True(failures.Length == 0, $"{failures.Length} cases failed:\n" + string.Join('\n', failures.Select(r => $"{r.Id}: {r.Message}")));
        Assert.True(totalPassed >= RequiredPasses, $"Only {totalPassed} cases passed; at least {RequiredPasses} are expected.");
    }

    [Fact]
    public void SkipList_NamesExistingCasesOnceEachWithAReason()
    {
        var root = DataRoot();

        var skipList = SkipList.Load(SkipListPath);

        Assert.NotEmpty(skipList.Reasons);
        foreach (var (id, reason) in skipList.Reasons)
        {
            var folder = id.Split('/')[0];
            Assert.Contains(folder, Folders);
            Assert.True(File.Exists(Path.Combine(root, id, "model.onnx")), $"Skip-listed case '{id}' does not exist.");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
    }

    [Fact]
    public void MissingTestData_FailsWithInstallInstructions()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-onnx-testdata-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => RequireDataRoot(missing));

        Assert.Contains("apt-get install libonnx-testdata", ex.Message);
    }

    private static string DataRoot() =>
        RequireDataRoot(Environment.GetEnvironmentVariable("ONNX_BACKEND_TEST_DATA") is { Length: > 0 } custom ? custom : DefaultDataRoot);

    private static string RequireDataRoot(string root)
    {
        Assert.True(
            Folders.All(folder => Directory.Exists(Path.Combine(root, folder))),
            $"ONNX backend test data not found under '{root}'. Install it with: apt-get install libonnx-testdata " +
            "(or point ONNX_BACKEND_TEST_DATA at a folder holding node, simple, pytorch-converted and pytorch-operator).");
        return root;
    }
}
