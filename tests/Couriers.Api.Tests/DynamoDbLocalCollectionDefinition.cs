using Couriers.Storage.Tests.DynamoDb;

namespace Couriers.Api.Tests;

/// <summary>xunit finds collection definitions per assembly: the API tests' DynamoDB classes share the one DynamoDB Local.</summary>
[CollectionDefinition(DynamoDbLocalCollection.Name)]
public sealed class ApiDynamoDbLocalCollection : ICollectionFixture<DynamoDbLocalFixture>;
