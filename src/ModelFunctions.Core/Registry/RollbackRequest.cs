namespace ModelFunctions.Core.Registry;

/// <summary>Optional body of <c>POST /api/models/{model}/rollback</c>.</summary>
/// <param name="Reason">Why (recorded in the history).</param>
public sealed record RollbackRequest(string? Reason = null);
