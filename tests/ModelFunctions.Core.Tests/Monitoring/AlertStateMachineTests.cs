using ModelFunctions.Core.Monitoring.Alerts;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class AlertStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Breach_Fires_RepeatsAreQuiet_RecoveryResolves()
    {
        var document = new AlertDocument { Model = "iris" };

        var fired = AlertStateMachine.Apply(document, [Eval(true, 0.3)], T0, TimeSpan.FromHours(1));
        var repeated = AlertStateMachine.Apply(document, [Eval(true, 0.4)], T0.AddMinutes(5), TimeSpan.FromHours(1));
        var resolved = AlertStateMachine.Apply(document, [Eval(false, 0.01)], T0.AddMinutes(10), TimeSpan.FromHours(1));

        var firing = Assert.Single(fired);
        Assert.Equal(AlertEventNames.ErrorRate, firing.Name);
        Assert.Equal("firing", firing.State);
        Assert.Equal(0.3, firing.Value);
        Assert.Equal(0.05, firing.Threshold);
        Assert.Empty(repeated);
        var resolution = Assert.Single(resolved);
        Assert.Equal("resolved", resolution.State);
        var record = Assert.Single(document.Alerts);
        Assert.Equal(AlertState.Resolved, record.State);
        Assert.Equal(T0.AddMinutes(10), record.Since);
        Assert.Equal(2, document.History.Count);
    }

    [Fact]
    public void Refiring_WithinTheCooldown_ChangesStateButRaisesNothing()
    {
        var document = new AlertDocument { Model = "iris" };
        AlertStateMachine.Apply(document, [Eval(true, 0.3)], T0, TimeSpan.FromMinutes(30));
        AlertStateMachine.Apply(document, [Eval(false, 0.0)], T0.AddMinutes(1), TimeSpan.FromMinutes(30));

        var early = AlertStateMachine.Apply(document, [Eval(true, 0.3)], T0.AddMinutes(2), TimeSpan.FromMinutes(30));
        Assert.Empty(early);
        Assert.Equal(AlertState.Firing, document.Alerts[0].State);

        AlertStateMachine.Apply(document, [Eval(false, 0.0)], T0.AddMinutes(3), TimeSpan.FromMinutes(30));
        var late = AlertStateMachine.Apply(document, [Eval(true, 0.3)], T0.AddMinutes(40), TimeSpan.FromMinutes(30));
        Assert.Equal("firing", Assert.Single(late).State);
    }

    [Fact]
    public void WithinThresholdFromTheStart_StaysOkSilently_AndThinDataChangesNothing()
    {
        var document = new AlertDocument { Model = "iris" };
        Assert.Empty(AlertStateMachine.Apply(document, [Eval(false, 0.0)], T0, TimeSpan.Zero));
        Assert.Equal(AlertState.Ok, Assert.Single(document.Alerts).State);

        AlertStateMachine.Apply(document, [Eval(true, 0.5)], T0.AddMinutes(1), TimeSpan.Zero);
        Assert.Empty(AlertStateMachine.Apply(document, [Eval(null, double.NaN)], T0.AddMinutes(2), TimeSpan.Zero));
        Assert.Equal(AlertState.Firing, document.Alerts[0].State);
    }

    [Fact]
    public void Signals_AreKeptPerVersion()
    {
        var document = new AlertDocument { Model = "iris" };
        var events = AlertStateMachine.Apply(
            document,
            [Eval(true, 0.2) with { Version = 1 }, Eval(true, 0.2) with { Version = 2 }, new SignalEvaluation(1, "drift:petal_length", AlertCategory.Drift, "normalizedWasserstein", 0.8, 0.1, true)],
            T0,
            TimeSpan.Zero);
        Assert.Equal(3, events.Count);
        Assert.Equal(AlertEventNames.Drift, events[2].Name);
        Assert.Equal(3, document.Alerts.Count);
    }

    private static SignalEvaluation Eval(bool? breached, double value) =>
        new(1, "serverErrorRate", AlertCategory.ErrorRate, "rate", value, 0.05, breached);
}
