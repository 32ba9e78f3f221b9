/** Runs an entry point's `main`, exiting with its code, or 2 with the stack when it throws. */
export function runMain(label: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`${label} failed: ${err.stack ?? err.message}\n`);
      process.exit(2);
    },
  );
}
