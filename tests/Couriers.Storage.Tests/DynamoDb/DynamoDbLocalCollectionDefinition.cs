using Couriers.Testing;

namespace Couriers.Storage.Tests.DynamoDb;

[CollectionDefinition(DynamoDbLocalCollection.Name)]
public sealed class StorageDynamoDbLocalCollection : DynamoDbLocalCollection;
