using Couriers.Cli;

return await CouriersCli.RunAsync(args);
