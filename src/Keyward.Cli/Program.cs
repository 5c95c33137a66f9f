using Keyward.Cli;
using Keyward.Core;

// The only place that touches the process: real console streams in, exit code out, and the signal handlers that
// remove temporary plaintext (atomic writes, edit and exec-file folders) before a signal ends the process.
TerminationCleanup.HandleSignals();
return KeywardApp.Run(args, CliConsole.FromProcess());
