// Prints benchmark rows as an aligned table. Other measurements (extension activation, VSIX
// size...) add rows of the same shape and call printTable once with everything.

/**
 * @typedef {{ measure: string, result: string, goal?: string, ok?: boolean }} BenchRow
 */

/** @param {BenchRow[]} rows */
function printTable(rows, out = process.stdout) {
  const header = { measure: 'Measure', result: 'Result', goal: 'Goal', ok: 'OK' };
  const cells = rows.map((r) => ({
    measure: r.measure,
    result: r.result,
    goal: r.goal ?? '',
    ok: r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  }));
  const cols = ['measure', 'result', 'goal', 'ok'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(header[c].length, ...cells.map((r) => r[c].length))]));
  const line = (r) => cols.map((c) => r[c].padEnd(width[c])).join(' | ').trimEnd();
  out.write(`${line(header)}\n${cols.map((c) => '-'.repeat(width[c])).join('-|-')}\n`);
  for (const r of cells) out.write(`${line(r)}\n`);
  return rows.every((r) => r.ok !== false);
}

module.exports = { printTable };
