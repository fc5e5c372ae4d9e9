using System.Text.Json.Serialization;
using ModelFunctions.Core.Metrics;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>Requests of a window by outcome; serializable with System.Text.Json.</summary>
public sealed class RequestCounts
{
    /// <summary>Answered 2xx.</summary>
    public long Success { get; set; }

    /// <summary>Answered 4xx.</summary>
    public long ClientError { get; set; }

    /// <summary>Answered 503 (not ready, overloaded).</summary>
    public long Unavailable { get; set; }

    /// <summary>Answered 5xx other than 503.</summary>
    public long ServerError { get; set; }

    /// <summary>Every request.</summary>
    [JsonIgnore]
    public long Total => Success + ClientError + Unavailable + ServerError;

    /// <summary>Counts one request.</summary>
    /// <param name="outcome">How it ended.</param>
    public void Add(RequestOutcome outcome)
    {
        switch (outcome)
        {
            case RequestOutcome.Success:
                Success++;
                break;
            case RequestOutcome.ClientError:
                ClientError++;
                break;
            case RequestOutcome.Unavailable:
                Unavailable++;
                break;
            default:
                ServerError++;
                break;
        }
    }

    /// <summary>Adds another window's counts.</summary>
    /// <param name="other">The counts to add.</param>
    public void Merge(RequestCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Success += other.Success;
        ClientError += other.ClientError;
        Unavailable += other.Unavailable;
        ServerError += other.ServerError;
    }
}
