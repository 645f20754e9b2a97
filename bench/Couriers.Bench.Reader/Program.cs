using BenchmarkDotNet.Running;
using Couriers.Bench.Reader;

// dotnet run -c Release --project bench/Couriers.Bench.Reader -- --filter '*' [--job short]
BenchmarkRunner.Run<ReaderBenchmarks>(args: args);
