using System.ComponentModel.DataAnnotations;

namespace Couriers.Storage;

public sealed class StorageOptions
{
    [RegularExpression("^Sqlite$", ErrorMessage = "Storage:Provider must be 'Sqlite'.")]
    public string Provider { get; set; } = "Sqlite";
}
