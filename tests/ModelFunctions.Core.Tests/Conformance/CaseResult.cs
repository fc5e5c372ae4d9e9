namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>The result of one backend test case, named <c>folder/case</c>.</summary>
internal sealed record CaseResult(string Folder, string Case, CaseOutcome Outcome, string? Message)
{
    public string Id => $"{Folder}/{Case}";
}
