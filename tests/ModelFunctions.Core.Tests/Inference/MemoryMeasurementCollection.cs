namespace ModelFunctions.Core.Tests.Inference;

/// <summary>
/// Tests that read the process's resident memory run alone, after the parallel ones, so that other tests'
/// allocations do not count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement";
}
