namespace ModelFunctions.Core.Http;

/// <summary>
/// Whether the server is ready to take traffic (<c>GET /v2/health/ready</c>): set by the host once its
/// start-up work (the first registry scan) is done.
/// </summary>
public sealed class ServerReadiness
{
    private volatile bool _ready;

    /// <summary>Whether the server is ready.</summary>
    public bool IsReady => _ready;

    /// <summary>Marks the server ready.</summary>
    public void MarkReady() => _ready = true;
}
