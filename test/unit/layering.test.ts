import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

function offenders(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => pattern.test(line) && !/^\s*(\/\/|\*)/.test(line))
      .map(({ i }) => `${path.relative(SRC, file)}:${i + 1}`),
  );
}

describe('source layering and hygiene', () => {
  it('src/core and the webview page never import vscode', () => {
    const files = [...sources(path.join(SRC, 'core')), ...sources(path.join(SRC, 'webview-ui'))];
    assert.ok(files.length > 10, 'the scan found the sources');
    assert.deepEqual(offenders(files, /from ['"]vscode['"]|require\(['"]vscode['"]\)/), []);
  });

  it('no source sets HTML from strings', () => {
    assert.deepEqual(offenders(sources(SRC), /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/), []);
  });

  it('product code logs through the log channel, never the console', () => {
    assert.deepEqual(offenders(sources(SRC), /\bconsole\.(log|debug|info|warn|error|trace)\(/), []);
  });
});
