using BenchmarkDotNet.Attributes;
using Couriers.Core.Assignment;

namespace Couriers.Bench.Engine;

[MemoryDiagnoser]
public class EngineBenchmarks
{
    private AssignmentRequest _withoutVolume = null!;
    private AssignmentRequest _withVolume = null!;

    [GlobalSetup]
    public void Setup()
    {
        _withoutVolume = EngineCases.WithoutVolumeLimits();
        _withVolume = EngineCases.WithBindingVolume();
    }

    [Benchmark(Description = "1000 drivers x 50000 packages, no volume limits")]
    public int WithoutVolumeLimits() => AssignmentEngine.Plan(_withoutVolume).Stats.Assigned;

    [Benchmark(Description = "1000 drivers x 50000 packages, binding volume, 1 s budget")]
    public int WithBindingVolume() => AssignmentEngine.Plan(_withVolume).Stats.Assigned;
}
