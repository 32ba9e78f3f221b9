#!/usr/bin/env node
// `npm run bench`: prints measurements next to their goals. Not a test: numbers vary by machine.
const { printTable } = require('./table');
const { measureHost } = require('./hostBench');
const { measureViewer } = require('./viewerBench');

/** Each entry returns rows for the table; add new measurements here. */
const measurements = [measureHost, measureViewer];

async function main() {
  const rows = [];
  for (const measure of measurements) rows.push(...(await measure()));
  const allOk = printTable(rows);
  process.stdout.write(allOk ? '\nAll goals met.\n' : '\nSome goals were missed.\n');
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
