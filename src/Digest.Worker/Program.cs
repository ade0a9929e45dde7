using System.Runtime.InteropServices;
using Digest.Worker.Cli;
using Digest.Worker.Hosting;

// Before any thread allocates natively (SQLite, ONNX Runtime): see GlibcMalloc.
GlibcMalloc.Limit();

// Ctrl-C or SIGTERM asks the verb to stop (the bot shuts down within its grace period, DigestHost.ShutdownTimeout);
// a second one ends the process at once.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await DigestCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
