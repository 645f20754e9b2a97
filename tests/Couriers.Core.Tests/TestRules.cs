using System.Text.Json;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests;

internal static class TestRules
{
    public static RuleSpec Spec(string code, string paramsJson = "{}", string ruleId = "r1") =>
        new(ruleId, code, JsonDocument.Parse(paramsJson).RootElement.Clone());

    public static IRule Parse(string code, string paramsJson = "{}")
    {
        var result = RuleRegistry.Parse(Spec(code, paramsJson));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Rule!;
    }

    public static IReadOnlyDictionary<string, string> Errors(string code, string paramsJson) =>
        RuleRegistry.Parse(Spec(code, paramsJson)).Errors;
}
