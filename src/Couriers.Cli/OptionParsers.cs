using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Couriers.Cli;

// Parsers that check a value's range as they read it. System.CommandLine's built-in conversion throws
// when a validator reads a value it could not convert ("--drivers abc"), so every option a validator
// reads is parsed here: a bad value becomes an error naming the option, never an exception.
internal static class OptionParsers
{
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max = int.MaxValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseWholeNumber(result, name, min, max) ?? defaultValue,
        };

    public static Option<int?> OptionalWholeNumber(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseWholeNumber(result, name, int.MinValue, int.MaxValue),
        };

    public static Option<decimal?> OptionalLiters(string name, string description, decimal min, decimal max) =>
        new(name)
        {
            Description = description,
            HelpName = "liters",
            CustomParser = result =>
            {
                var text = Token(result);
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var liters) && liters >= min && liters <= max)
                    return liters;
                result.AddError($"{name} must be a number of liters from {min} to {max}; got '{text}'.");
                return null;
            },
        };

    private static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max)
    {
        var text = Token(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            return number;
        result.AddError((min, max) switch
        {
            (int.MinValue, int.MaxValue) => $"{name} must be a whole number; got '{text}'.",
            (_, int.MaxValue) => $"{name} must be a whole number, at least {min}; got '{text}'.",
            _ => $"{name} must be a whole number from {min} to {max}; got '{text}'.",
        });
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
