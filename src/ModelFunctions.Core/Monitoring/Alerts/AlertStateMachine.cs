using System.Globalization;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>
/// Moves alert records through OK, Firing and Resolved. A breach of a signal that is not Firing makes it Firing
/// and raises an event, unless a firing event for it was raised less than the cool-down ago (the state still
/// changes); further breaches while Firing raise nothing. A Firing signal back within its threshold becomes
/// Resolved and raises a resolution. Evaluations without enough data change nothing.
/// </summary>
public static class AlertStateMachine
{
    /// <summary>Applies evaluations to a document and returns the events to send (already appended to its history).</summary>
    /// <param name="document">The model's alerts; changed in place.</param>
    /// <param name="evaluations">This run's evaluations.</param>
    /// <param name="now">The check's time.</param>
    /// <param name="cooldown">Least time between two firing events of the same signal.</param>
    public static IReadOnlyList<AlertEvent> Apply(AlertDocument document, IEnumerable<SignalEvaluation> evaluations, DateTimeOffset now, TimeSpan cooldown)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(evaluations);
        var events = new List<AlertEvent>();
        foreach (var evaluation in evaluations)
        {
            if (evaluation.Breached is not { } breached)
            {
                continue;
            }

            var index = document.Alerts.FindIndex(a => a.Version == evaluation.Version && string.Equals(a.Signal, evaluation.Signal, StringComparison.Ordinal));
            var record = index >= 0
                ? document.Alerts[index]
                : new AlertRecord { Version = evaluation.Version, Signal = evaluation.Signal, Category = evaluation.Category, State = AlertState.Ok, Since = now };
            var next = record with
            {
                Category = evaluation.Category,
                Metric = evaluation.Metric,
                Value = evaluation.Value,
                Threshold = evaluation.Threshold,
                Detail = evaluation.Detail,
                LastEvaluatedAt = now,
            };

            if (breached && record.State != AlertState.Firing)
            {
                next = next with { State = AlertState.Firing, Since = now };
                if (record.LastRaisedAt is not { } raised || now - raised >= cooldown)
                {
                    next = next with { LastRaisedAt = now };
                    events.Add(Event(document.Model, next, "firing", now));
                }
            }
            else if (!breached && record.State == AlertState.Firing)
            {
                next = next with { State = AlertState.Resolved, Since = now };
                events.Add(Event(document.Model, next, "resolved", now));
            }

            if (index >= 0)
            {
                document.Alerts[index] = next;
            }
            else
            {
                document.Alerts.Add(next);
            }
        }

        document.Append(events);
        return events;
    }

    /// <summary>
    /// Retires the firing alerts of versions that no longer serve, raising a "retired" event for each (already
    /// appended to the history); a retired signal fires again like a new one if its version serves again.
    /// </summary>
    /// <param name="document">The model's alerts; changed in place.</param>
    /// <param name="servedVersions">The production and canary versions now.</param>
    /// <param name="now">The check's time.</param>
    public static IReadOnlyList<AlertEvent> Retire(AlertDocument document, IReadOnlyCollection<int> servedVersions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(servedVersions);
        var events = new List<AlertEvent>();
        for (var i = 0; i < document.Alerts.Count; i++)
        {
            var record = document.Alerts[i];
            if (record.State != AlertState.Firing || servedVersions.Contains(record.Version))
            {
                continue;
            }

            var retired = record with { State = AlertState.Retired, Since = now };
            document.Alerts[i] = retired;
            events.Add(new AlertEvent(
                AlertEventNames.For(record.Category),
                document.Model,
                record.Version,
                record.Signal,
                record.Metric,
                record.Value,
                record.Threshold,
                "retired",
                now,
                string.Create(CultureInfo.InvariantCulture, $"{document.Model} v{record.Version}: {record.Signal} retired: the version no longer serves.")));
        }

        document.Append(events);
        return events;
    }

    private static AlertEvent Event(string model, AlertRecord record, string state, DateTimeOffset now)
    {
        var verb = state == "firing" ? "above" : "back within";
        var message = record.Detail is { } detail
            ? string.Create(CultureInfo.InvariantCulture, $"{model} v{record.Version}: {record.Signal} {(state == "firing" ? "firing" : "resolved")}: {detail}.")
            : string.Create(CultureInfo.InvariantCulture, $"{model} v{record.Version}: {record.Signal} {record.Metric} = {record.Value:G4}, {verb} threshold {record.Threshold:G4}.");
        return new AlertEvent(AlertEventNames.For(record.Category), model, record.Version, record.Signal, record.Metric, record.Value, record.Threshold, state, now, message);
    }
}
