import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

/** Closing line that CI log readers count: `N passed, N failed` (plus `, N skipped` when any were). */
function summary(stats: Mocha.Stats | undefined, failures: number): string {
  const parts = [`${stats?.passes ?? 0} passed`, `${failures} failed`];
  if (stats?.pending) parts.push(`${stats.pending} skipped`);
  return parts.join(', ');
}

/**
 * Entry point the extension host loads as `extensionTestsPath`: runs every bundled
 * `*.test.js` next to this file with mocha's TDD interface.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 30_000 });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The console is relayed to the test launcher, which prints it as the stage's output.
      console.log(summary(runner.stats, failures));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
