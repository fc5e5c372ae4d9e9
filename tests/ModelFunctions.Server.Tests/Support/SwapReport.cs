using System.Collections.Concurrent;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>What a swap under load saw: failed requests, responses per version, promotions made.</summary>
internal sealed record SwapReport(ConcurrentQueue<string> Failures, ConcurrentDictionary<string, int> Versions, int Promotions);
