using Couriers.Testing;

namespace Couriers.Api.Tests.Support;

[CollectionDefinition(DynamoDbLocalCollection.Name)]
public sealed class ApiDynamoDbLocalCollection : DynamoDbLocalCollection;
