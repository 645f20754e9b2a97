using System.ComponentModel.DataAnnotations;

namespace Couriers.Storage.Embedded;

public sealed class SqliteOptions
{
    /// <summary>The database file; created with its folder when missing.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Storage:Sqlite:Path is required: the database file to use.")]
    public string Path { get; set; } = "data/couriers.db";

    /// <summary>
    /// FULL fsyncs every commit so an acknowledged write survives power loss, not only a process
    /// crash; NORMAL is faster and still survives kill -9 in WAL mode.
    /// </summary>
    [RegularExpression("^(FULL|NORMAL)$", ErrorMessage = "Storage:Sqlite:Synchronous must be FULL or NORMAL.")]
    public string Synchronous { get; set; } = "FULL";
}
