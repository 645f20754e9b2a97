using Couriers.Api.Infrastructure;
using Couriers.Testing;

namespace Couriers.Api.Tests.Resilience;

public sealed class StoreCircuitTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void TheCircuitOpensAfterFiveFailuresInARowAndSaysWhenToRetry()
    {
        var circuit = new StoreCircuit(_clock);
        for (var i = 0; i < StoreCircuit.FailureThreshold - 1; i++) circuit.RecordFailure();
        Assert.Equal(0, circuit.SecondsUntilRetry());

        circuit.RecordFailure();

        Assert.Equal(10, circuit.SecondsUntilRetry());
        _clock.Advance(TimeSpan.FromSeconds(7.5));
        Assert.Equal(3, circuit.SecondsUntilRetry());
    }

    [Fact]
    public void AfterTheOpenPeriodOneMoreFailureReopensItAndASuccessClosesIt()
    {
        var circuit = new StoreCircuit(_clock);
        for (var i = 0; i < StoreCircuit.FailureThreshold; i++) circuit.RecordFailure();
        _clock.Advance(StoreCircuit.OpenFor);
        Assert.Equal(0, circuit.SecondsUntilRetry());

        circuit.RecordFailure();
        Assert.Equal(10, circuit.SecondsUntilRetry());

        circuit.RecordSuccess();
        Assert.Equal(0, circuit.SecondsUntilRetry());
    }

    [Fact]
    public void AFailureBetweenSuccessesDoesNotOpenIt()
    {
        var circuit = new StoreCircuit(_clock);
        for (var i = 0; i < 20; i++)
        {
            circuit.RecordFailure();
            circuit.RecordSuccess();
        }
        Assert.Equal(0, circuit.SecondsUntilRetry());
    }
}
