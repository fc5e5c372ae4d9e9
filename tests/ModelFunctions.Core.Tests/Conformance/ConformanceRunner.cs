using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>
/// Runs one case of ONNX's backend test data through <see cref="OnnxRuntimeEngine"/>: loads model.onnx, feeds
/// every test_data_set_*'s inputs and compares the outputs with the expected ones.
/// </summary>
internal sealed partial class ConformanceRunner
{
    private readonly OnnxRuntimeEngine _engine;

    public ConformanceRunner()
    {
        // One thread per session: cases already run in parallel, one per core.
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1 };
        _engine = new OnnxRuntimeEngine(Options.Create(options), NullLogger<OnnxRuntimeEngine>.Instance);
    }

    public CaseResult Run(string folder, string caseDirectory, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(caseDirectory);
        try
        {
            var problem = RunCase(caseDirectory, cancellationToken);
            return new CaseResult(folder, name, problem is null ? CaseOutcome.Passed : CaseOutcome.Failed, problem);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new CaseResult(folder, name, CaseOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private string? RunCase(string caseDirectory, CancellationToken cancellationToken)
    {
        using var model = _engine.LoadFile(Path.Combine(caseDirectory, "model.onnx"), Path.GetFileName(caseDirectory));
        var signature = model.Signature;
        var unsupported = signature.Inputs.Concat(signature.Outputs).FirstOrDefault(s => !s.IsSupported);
        if (unsupported is not null)
        {
            return $"unsupported: {unsupported.UnsupportedReason}";
        }

        var dataSets = Directory.GetDirectories(caseDirectory, "test_data_set_*").Order(StringComparer.Ordinal).ToArray();
        if (dataSets.Length == 0)
        {
            return "no test_data_set_* folder";
        }

        foreach (var dataSet in dataSets)
        {
            var given = ReadTensors(dataSet, "input");
            var inputs = new NamedTensor[given.Length];
            for (var i = 0; i < given.Length; i++)
            {
                // Match by name, else by position (older data sets leave names empty or stale).
                var spec = signature.FindInput(given[i].Name)
                    ?? (i < signature.Inputs.Count ? signature.Inputs[i] : null);
                if (spec is null)
                {
                    return $"{Path.GetFileName(dataSet)}: input {i} ('{given[i].Name}') matches no model input";
                }

                inputs[i] = AsModelType(given[i], spec) with { Name = spec.Name };
            }

            var expected = ReadTensors(dataSet, "output");
            var outputNames = new string[expected.Length];
            for (var i = 0; i < expected.Length; i++)
            {
                var spec = signature.FindOutput(expected[i].Name)
                    ?? (i < signature.Outputs.Count ? signature.Outputs[i] : null);
                if (spec is null)
                {
                    return $"{Path.GetFileName(dataSet)}: output {i} ('{expected[i].Name}') matches no model output";
                }

                outputNames[i] = spec.Name;
                expected[i] = AsModelType(expected[i], spec);
            }

            var actual = model.Run(inputs, outputNames, cancellationToken);
            for (var i = 0; i < expected.Length; i++)
            {
                var difference = TensorComparer.Difference(expected[i], actual[i]);
                if (difference is not null)
                {
                    return $"{Path.GetFileName(dataSet)}: output '{outputNames[i]}' has {difference}";
                }
            }
        }

        return null;
    }

    private static NamedTensor AsModelType(NamedTensor tensor, TensorSpec spec)
    {
        // numpy has no bfloat16, so the test data stores bfloat16 bit patterns as UINT16 tensors.
        return tensor.DataType == TensorDataType.UInt16 && spec.DataType == TensorDataType.BFloat16
            ? tensor with { DataType = TensorDataType.BFloat16 }
            : tensor;
    }

    private static NamedTensor[] ReadTensors(string dataSet, string prefix)
    {
        return Directory.GetFiles(dataSet, prefix + "_*.pb")
            .Select(path => (Path: path, Index: int.Parse(IndexPattern().Match(Path.GetFileName(path)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Index)
            .Select(f => TensorProtoDecoder.Decode(File.ReadAllBytes(f.Path)))
            .ToArray();
    }

    [GeneratedRegex(@"_(\d+)\.pb$")]
    private static partial Regex IndexPattern();
}
