using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Couriers.Storage.DynamoDb;

// A TransactWriteItems either committed, or was cancelled with one reason per item in request order
// (Code "None" for items that were not the cause; the item as it stood when ALL_OLD was asked).
internal sealed record TransactOutcome(bool Committed, IReadOnlyList<CancellationReason> Reasons)
{
    public static readonly TransactOutcome Done = new(true, []);

    public bool Failed(int index) => index < Reasons.Count && Reasons[index].Code == "ConditionalCheckFailed";

    public Dictionary<string, AttributeValue>? Item(int index) =>
        index < Reasons.Count && Reasons[index].Item is { Count: > 0 } item ? item : null;
}

// The four kinds of transaction item, with every #name mapped (DynamoContext.Names).
internal static class TransactItems
{
    public static TransactWriteItem Put(string table, Dictionary<string, AttributeValue> item, string? condition,
        Dictionary<string, AttributeValue>? values = null) => new()
    {
        Put = new Put
        {
            TableName = table, Item = item, ConditionExpression = condition,
            ExpressionAttributeNames = DynamoContext.Names(null, condition),
            ExpressionAttributeValues = values is { Count: > 0 } ? values : null,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        },
    };

    public static TransactWriteItem Update(string table, Dictionary<string, AttributeValue> key, string update, string? condition,
        Dictionary<string, AttributeValue> values) => new()
    {
        Update = new Update
        {
            TableName = table, Key = key, UpdateExpression = update, ConditionExpression = condition,
            ExpressionAttributeNames = DynamoContext.Names(null, update, condition),
            ExpressionAttributeValues = values.Count > 0 ? values : null,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        },
    };

    public static TransactWriteItem Delete(string table, Dictionary<string, AttributeValue> key, string? condition,
        Dictionary<string, AttributeValue>? values = null) => new()
    {
        Delete = new Delete
        {
            TableName = table, Key = key, ConditionExpression = condition,
            ExpressionAttributeNames = DynamoContext.Names(null, condition),
            ExpressionAttributeValues = values is { Count: > 0 } ? values : null,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        },
    };

    public static TransactWriteItem Check(string table, Dictionary<string, AttributeValue> key, string condition,
        Dictionary<string, AttributeValue>? values = null) => new()
    {
        ConditionCheck = new ConditionCheck
        {
            TableName = table, Key = key, ConditionExpression = condition,
            ExpressionAttributeNames = DynamoContext.Names(null, condition),
            ExpressionAttributeValues = values is { Count: > 0 } ? values : null,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        },
    };
}
