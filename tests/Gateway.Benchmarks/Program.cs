return await Gateway.Benchmarks.Cli.BenchCli.RunAsync(args);
