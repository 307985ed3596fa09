return await Gateway.Api.Cli.GatewayCli.RunAsync(args);
