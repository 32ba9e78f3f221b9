#!/usr/bin/env node
// `npm test`: every check the project has, in order, each with its own time limit and its output
// streamed. Ends with one plain line `N passed, N failed` that sums the stages; a check without test
// counts (type check, build) that fails adds one failure. Exit code 0 only when nothing failed.
//
//   node test/run.js [--only types,build,unit,webview,integration,e2e] [--skip e2e]
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const node = process.execPath;
const minutes = (n) => n * 60_000;

function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(suffix));
}

/** @type {Array<{name: string, title: string, timeoutMs: number, counted: boolean, steps: () => string[][]}>} */
const stages = [
  { name: 'types', title: 'type check', timeoutMs: minutes(5), counted: false, steps: () => [[bin('tsc'), '--noEmit', '-p', '.']] },
  {
    name: 'build',
    title: 'build and package',
    timeoutMs: minutes(5),
    counted: false,
    steps: () => [[node, 'esbuild.js'], ['npm', 'run', '--silent', 'package']],
  },
  {
    name: 'unit',
    title: 'unit tests',
    timeoutMs: minutes(10),
    counted: true,
    steps: () => [[bin('mocha'), '--config', 'test/unit/.mocharc.json']],
  },
  {
    name: 'webview',
    title: 'webview browser tests',
    timeoutMs: minutes(10),
    counted: true,
    steps: () =>
      findFiles(path.join(root, 'test', 'webview'), '.test.ts').length === 0
        ? []
        : [[bin('mocha'), '--require', 'tsx/cjs', '--timeout', '60000', 'test/webview/**/*.test.ts']],
  },
  {
    name: 'integration',
    title: 'integration tests in code-server',
    timeoutMs: minutes(15),
    counted: true,
    steps: () => [[path.join(root, '.ci', 'install-vscode-host.sh')], [node, '--import', 'tsx', 'test/host/integration.ts']],
  },
  {
    name: 'e2e',
    title: 'UI end to end',
    timeoutMs: minutes(15),
    counted: true,
    steps: () => [[path.join(root, '.ci', 'install-vscode-host.sh')], [node, '--import', 'tsx', 'test/e2e/run.ts']],
  },
];

function parseOptions(argv) {
  const list = (flag) => {
    const at = argv.indexOf(flag);
    return at >= 0 && argv[at + 1] ? argv[at + 1].split(',').map((s) => s.trim()) : undefined;
  };
  const only = list('--only');
  const skip = list('--skip') ?? [];
  for (const name of [...(only ?? []), ...skip]) {
    if (!stages.some((s) => s.name === name)) {
      console.error(`unknown stage "${name}"; stages: ${stages.map((s) => s.name).join(', ')}`);
      process.exit(2);
    }
  }
  return stages.filter((s) => (!only || only.includes(s.name)) && !skip.includes(s.name));
}

let current;

/** Runs one command in its own process group, streaming and keeping its output. */
function runStep(argv, deadline) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let output = '';
    const relay = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk;
        target.write(chunk);
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    const remaining = Math.max(deadline - Date.now(), 1);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, remaining);
    child.on('error', (err) => {
      output += `\n${err.message}\n`;
      process.stderr.write(`cannot run ${argv[0]}: ${err.message}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ ok: code === 0 && !timedOut, code: code ?? signal, timedOut, output });
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Counts from a stage's output: our own `N passed, N failed[, N skipped]` line when present (the
 * last one wins), otherwise mocha's `N passing` / `N failing` / `N pending`.
 */
function parseCounts(text) {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const ours = [...plain.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].pop();
  if (ours) return { passed: +ours[1], failed: +ours[2], skipped: +(ours[3] ?? 0) };
  const last = (word) => {
    const all = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? +all[all.length - 1][1] : undefined;
  };
  const passed = last('passing');
  const failed = last('failing');
  const skipped = last('pending');
  if (passed === undefined && failed === undefined) return undefined;
  return { passed: passed ?? 0, failed: failed ?? 0, skipped: skipped ?? 0 };
}

async function runStage(stage) {
  const started = Date.now();
  const steps = stage.steps();
  console.log(`\n=== ${stage.title} (${stage.name}) ===`);
  if (steps.length === 0) {
    console.log('nothing to run');
    return { stage, passed: 0, failed: 0, skipped: 0, note: 'nothing to run', ms: 0 };
  }
  const deadline = started + stage.timeoutMs;
  let output = '';
  let problem;
  for (const argv of steps) {
    const step = await runStep(argv, deadline);
    output += step.output;
    if (!step.ok) {
      problem = step.timedOut
        ? `timed out after ${Math.round(stage.timeoutMs / 1000)} s`
        : `${path.basename(argv[0])} exited with ${step.code}`;
      break;
    }
  }
  const ms = Date.now() - started;
  const counts = stage.counted ? parseCounts(output) : undefined;
  const result = { stage, passed: counts?.passed ?? 0, failed: counts?.failed ?? 0, skipped: counts?.skipped ?? 0, ms };
  // A failure that no test reported (crash, timeout, compile error) still counts as one.
  if (problem && result.failed === 0) result.failed = 1;
  if (!problem && stage.counted && !counts) problem = 'no test counts found in its output';
  result.note = problem;
  return result;
}

async function main() {
  const selected = parseOptions(process.argv.slice(2));
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      if (current) killGroup(current, 'SIGTERM');
      process.exit(code);
    });
  }
  const results = [];
  for (const stage of selected) results.push(await runStage(stage));

  console.log('\n=== summary ===');
  for (const r of results) {
    const counts = r.stage.counted ? `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` : r.failed ? 'FAILED' : 'ok';
    const note = r.note ? ` (${r.note})` : '';
    console.log(`${r.stage.title.padEnd(34)} ${counts}${note}  [${(r.ms / 1000).toFixed(1)} s]`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const unclear = results.some((r) => r.note && r.failed === 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || unclear ? 1 : 0);
}

main();
