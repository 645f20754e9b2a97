using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

public sealed class PruningTests
{
    [Fact]
    public void EngineEvaluatesEachDistinctRuleOncePerPackageNotOncePerDriver()
    {
        var weight = new CountingRule(TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}"""));
        var sameWeight = new CountingRule(TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10.0}"""));
        var express = new CountingRule(TestRules.Parse("EXPRESS_ONLY"));
        var drivers = Enumerable.Range(0, 50)
            .Select(i => new DriverCapacity($"d{i}", i % 2 == 0 ? [weight, express] : [sameWeight], Slots: 3))
            .ToList();
        var pool = DayGenerator.Generate(new DayGeneratorOptions { Seed = 2, DriverCount = 0, PackageCount = 200 }).Packages;
        var request = new AssignmentRequest(drivers, pool);

        var plan = AssignmentEngine.Plan(request);
        var engineChecks = weight.Calls + sameWeight.Calls + express.Calls;

        // 50 drivers × 200 packages would be 10,000 pair checks; two distinct rules × 200 packages is 400.
        Assert.Equal(2 * pool.Count, engineChecks);
        Assert.Equal(2, plan.Stats.DriverGroups);
        PlanChecker.Verify(request, plan);
        Assert.Equal(ReferenceSolvers.MaxMatching(drivers, pool), plan.Stats.Assigned);
    }

    // Counts how often the engine asks a rule about a package.
    private sealed class CountingRule(IRule inner) : IRule
    {
        public int Calls { get; private set; }

        public RuleSpec Spec => inner.Spec;

        public string Code => inner.Code;

        public string SignatureKey => inner.SignatureKey;

        public bool Accepts(Package package)
        {
            Calls++;
            return inner.Accepts(package);
        }
    }
}
