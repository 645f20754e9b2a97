using Couriers.Storage.Tests.DynamoDb;

namespace Couriers.Api.Tests;

/// <summary>xunit finds collection fixtures per assembly: this one shares one dynalite among the API tests.</summary>
[CollectionDefinition(DynaliteCollection.Name)]
public sealed class ApiDynaliteCollection : ICollectionFixture<DynaliteFixture>;
