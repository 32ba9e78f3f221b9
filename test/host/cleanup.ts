type Task = () => void;

const tasks = new Set<Task>();
let installed = false;

function runAll(): void {
  for (const task of [...tasks].reverse()) {
    tasks.delete(task);
    try {
      task();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
}

/**
 * Registers a synchronous cleanup that runs on normal exit and on SIGINT/SIGTERM/SIGHUP, so a
 * cancelled run never leaves a server behind. Returns a function that unregisters it without running it.
 */
export function onCleanup(task: Task): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runAll);
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      process.on(signal, () => {
        runAll();
        process.exit(code);
      });
    }
  }
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}
