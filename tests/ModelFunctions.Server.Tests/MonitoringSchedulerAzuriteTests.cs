using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Server.Tests;

/// <summary>The two-replica scheduler test on blob leases in Azurite.</summary>
public sealed class MonitoringSchedulerAzuriteTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task TwoReplicasOnAzurite_NeverRunATickAtOnce_AndALongTickKeepsItsLease()
    {
        await SchedulerReplicas.RunTwoReplicasAsync(() => azurite.CreateStore());
    }
}
