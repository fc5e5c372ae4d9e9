namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>How one backend test case ended.</summary>
internal enum CaseOutcome
{
    Passed,
    Failed,
}
