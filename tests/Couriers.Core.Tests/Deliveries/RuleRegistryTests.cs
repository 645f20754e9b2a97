using System.Text.Json;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Deliveries;

public sealed class RuleRegistryTests
{
    [Theory]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 10}""")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 0.01}""")]
    [InlineData("NO_PERISHABLE", "{}")]
    [InlineData("REGION_ONLY", """{"allowed_regions": ["west"]}""")]
    [InlineData("REGION_ONLY", """{"allowed_regions": ["North", "SOUTH"]}""")]
    [InlineData("MAX_DISTANCE", """{"max_km": 50.5}""")]
    [InlineData("EXPRESS_ONLY", "{}")]
    [InlineData("FRAGILE_ONLY", "{}")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [1, 4]}""")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [2.0]}""")]
    [InlineData("TEMP_CONTROL", """{"min_c": -5, "max_c": -5}""")]
    [InlineData("TIME_WINDOW", """{"start_hour": 0, "end_hour": 24}""")]
    [InlineData("TIME_WINDOW", """{"start_hour": 8.0, "end_hour": 17}""")]
    [InlineData("OVERSIZED", """{"min_volume_m3": 0.5}""")]
    public void RegistryAcceptsWellFormedParams(string code, string json)
    {
        var result = RuleRegistry.Parse(TestRules.Spec(code, json));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(code, result.Rule!.Code);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 0}""", "params.limit_kg", "must be a positive number")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": -1}""", "params.limit_kg", "must be a positive number")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": "10"}""", "params.limit_kg", "must be a number")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": null}""", "params.limit_kg", "must be a number")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": "NaN"}""", "params.limit_kg", "must be a number")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 1e40}""", "params.limit_kg", "must be a number within a sensible range")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 1000000}""", "params.limit_kg", "must be at most 10000")]
    [InlineData("MAX_WEIGHT", "{}", "params.limit_kg", "is required")]
    [InlineData("MAX_WEIGHT", """{"limit_kg": 10, "limit": 5}""", "params.limit", "unknown parameter for MAX_WEIGHT; expected: limit_kg")]
    [InlineData("NO_PERISHABLE", """{"strict": true}""", "params.strict", "unknown parameter for NO_PERISHABLE; expected: none")]
    [InlineData("REGION_ONLY", """{"allowed_regions": []}""", "params.allowed_regions", "must list at least one region")]
    [InlineData("REGION_ONLY", """{"allowed_regions": "north"}""", "params.allowed_regions", "must be an array")]
    [InlineData("REGION_ONLY", """{"allowed_regions": ["north", "middle"]}""", "params.allowed_regions[1]", "unknown region 'middle'; known: north, east, south, west")]
    [InlineData("REGION_ONLY", """{"allowed_regions": [1]}""", "params.allowed_regions[0]", "unknown region 1; known: north, east, south, west")]
    [InlineData("REGION_ONLY", """{"allowed_regions": ["east", "east"]}""", "params.allowed_regions[1]", "duplicate region 'east'")]
    [InlineData("MAX_DISTANCE", """{"max_km": 0}""", "params.max_km", "must be a positive number")]
    [InlineData("MAX_DISTANCE", """{"max_km": 50000}""", "params.max_km", "must be at most 40000")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [0]}""", "params.allowed_classes[0]", "must be an integer from 1 to 4")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [5]}""", "params.allowed_classes[0]", "must be an integer from 1 to 4")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [1.5]}""", "params.allowed_classes[0]", "must be an integer from 1 to 4")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": ["1"]}""", "params.allowed_classes[0]", "must be an integer from 1 to 4")]
    [InlineData("HAZMAT_ALLOWED", """{"allowed_classes": [2, 2]}""", "params.allowed_classes[1]", "duplicate value 2")]
    [InlineData("HAZMAT_ALLOWED", "{}", "params.allowed_classes", "is required")]
    [InlineData("TEMP_CONTROL", """{"min_c": 8, "max_c": 2}""", "params.min_c", "must not be greater than max_c")]
    [InlineData("TEMP_CONTROL", """{"min_c": -300, "max_c": 2}""", "params.min_c", "must be at least -100")]
    [InlineData("TEMP_CONTROL", """{"min_c": 2}""", "params.max_c", "is required")]
    [InlineData("TIME_WINDOW", """{"start_hour": 17, "end_hour": 8}""", "params.end_hour", "must be greater than start_hour")]
    [InlineData("TIME_WINDOW", """{"start_hour": 8, "end_hour": 8}""", "params.end_hour", "must be greater than start_hour")]
    [InlineData("TIME_WINDOW", """{"start_hour": 8, "end_hour": 25}""", "params.end_hour", "must be an integer from 1 to 24")]
    [InlineData("TIME_WINDOW", """{"start_hour": -1, "end_hour": 8}""", "params.start_hour", "must be an integer from 0 to 23")]
    [InlineData("TIME_WINDOW", """{"start_hour": 8.5, "end_hour": 17}""", "params.start_hour", "must be an integer from 0 to 23")]
    [InlineData("OVERSIZED", """{"min_volume_m3": 0}""", "params.min_volume_m3", "must be a positive number")]
    [InlineData("OVERSIZED", """{"min_volume_m3": 5000}""", "params.min_volume_m3", "must be at most 1000")]
    public void RegistryRefusesBadParamsWithAFieldPathAndMessage(string code, string json, string path, string message)
    {
        var result = RuleRegistry.Parse(TestRules.Spec(code, json));

        Assert.False(result.IsValid);
        Assert.Null(result.Rule);
        Assert.Equal(message, Assert.Contains(path, result.Errors));
    }

    [Fact]
    public void RegistryRefusesUnknownCodeAndListsTheKnownOnes()
    {
        var errors = TestRules.Errors("FOO", "{}");

        Assert.Equal(
            "unknown rule code 'FOO'; known: EXPRESS_ONLY, FRAGILE_ONLY, HAZMAT_ALLOWED, MAX_DISTANCE, MAX_WEIGHT, NO_PERISHABLE, OVERSIZED, REGION_ONLY, TEMP_CONTROL, TIME_WINDOW",
            errors["code"]);
    }

    [Fact]
    public void RegistryTreatsCodesAsCaseSensitive()
    {
        Assert.Contains("code", TestRules.Errors("max_weight", """{"limit_kg": 10}"""));
    }

    [Fact]
    public void RegistryReportsEveryBadFieldAtOnce()
    {
        var errors = TestRules.Errors("TEMP_CONTROL", """{"min_c": "cold", "max_c": 500, "unit": "F"}""");

        Assert.Equal(["params.max_c", "params.min_c", "params.unit"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RegistryRefusesParamsThatAreNotAnObject()
    {
        Assert.Equal("must be an object", TestRules.Errors("MAX_WEIGHT", "[10]")["params"]);
    }

    [Fact]
    public void RegistryAcceptsMissingOrNullParamsForRulesWithoutParams()
    {
        Assert.True(RuleRegistry.Parse(new RuleSpec("r1", "NO_PERISHABLE", default)).IsValid);
        Assert.True(RuleRegistry.Parse(TestRules.Spec("EXPRESS_ONLY", "null")).IsValid);
    }

    [Fact]
    public void RegistryRefusesAnEmptyRuleId()
    {
        var result = RuleRegistry.Parse(TestRules.Spec("NO_PERISHABLE", "{}", ruleId: " "));
        Assert.Equal("is required", result.Errors["rule_id"]);
    }

    [Fact]
    public void ParseAllPrefixesErrorsWithTheRuleIndexAndRefusesDuplicateRuleIds()
    {
        var result = RuleRegistry.ParseAll(
        [
            TestRules.Spec("NO_PERISHABLE", "{}", "r1"),
            TestRules.Spec("MAX_WEIGHT", """{"limit_kg": -2}""", "r2"),
            TestRules.Spec("EXPRESS_ONLY", "{}", "r1"),
        ]);

        Assert.False(result.IsValid);
        Assert.Empty(result.Rules);
        Assert.Equal("must be a positive number", result.Errors["rules[1].params.limit_kg"]);
        Assert.Equal("duplicate rule_id 'r1'", result.Errors["rules[2].rule_id"]);
    }

    [Fact]
    public void ParseAllReturnsRulesInOrderWhenAllAreValid()
    {
        var result = RuleRegistry.ParseAll([TestRules.Spec("NO_PERISHABLE", "{}", "r1"), TestRules.Spec("OVERSIZED", """{"min_volume_m3": 1}""", "r2")]);

        Assert.True(result.IsValid);
        Assert.Equal(["NO_PERISHABLE", "OVERSIZED"], result.Rules.Select(r => r.Code));
    }

    [Fact]
    public void ParsedRuleKeepsItsSpecForRoundTrips()
    {
        var spec = TestRules.Spec("MAX_WEIGHT", """{"limit_kg": 12.5}""", "r7");
        var rule = RuleRegistry.Parse(spec).Rule!;

        Assert.Same(spec, rule.Spec);
        Assert.Equal(12.5m, ((MaxWeightRule)rule).LimitKg);
    }

    [Fact]
    public void EquivalentParamsShareOneSignatureKey()
    {
        Assert.Equal(TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}""").SignatureKey, TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10.00}""").SignatureKey);
        Assert.Equal(
            TestRules.Parse("REGION_ONLY", """{"allowed_regions": ["east", "north"]}""").SignatureKey,
            TestRules.Parse("REGION_ONLY", """{"allowed_regions": ["north", "east"]}""").SignatureKey);
        Assert.NotEqual(TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}""").SignatureKey, TestRules.Parse("MAX_DISTANCE", """{"max_km": 10}""").SignatureKey);
    }

    [Fact]
    public void CreateBuildsASpecFromADictionary()
    {
        var spec = RuleSpec.Create("r1", "MAX_WEIGHT", new Dictionary<string, object> { ["limit_kg"] = 10 });

        Assert.Equal(JsonValueKind.Object, spec.Params.ValueKind);
        Assert.True(RuleRegistry.Parse(spec).IsValid);
    }
}
