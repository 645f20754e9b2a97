using System.ComponentModel.DataAnnotations;

namespace Couriers.Storage;

public sealed class StorageOptions
{
    public const string Sqlite = "Sqlite";
    public const string DynamoDb = "DynamoDb";

    [RegularExpression("^(Sqlite|DynamoDb)$", ErrorMessage = "Storage:Provider must be 'Sqlite' or 'DynamoDb'.")]
    public string Provider { get; set; } = Sqlite;
}
