using Couriers.Testing;

namespace Couriers.Api.Tests;

[CollectionDefinition(DynamoDbLocalCollection.Name)]
public sealed class ApiDynamoDbLocalCollection : DynamoDbLocalCollection;
