using Keyward.Cli;

// The only place that touches the process: real console streams in, exit code out.
return KeywardApp.Run(args, CliConsole.FromProcess());
