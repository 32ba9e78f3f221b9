import * as assert from 'assert';
import { describeStatus, escapeIcons, oneLine, type AccountInfo } from '../../src/core/status';

const account: AccountInfo = { keyId: 'k-1', label: 'ops@p1.idp.noon.partners', projectCode: 'PRJ000001' };

describe('status bar view', () => {
  it('escapes icon syntax coming from the server, and only that', () => {
    assert.strictEqual(escapeIcons('$(warning) hi $(sync~spin)'), '\\$(warning) hi \\$(sync~spin)');
    assert.strictEqual(escapeIcons('already \\$(x)'), 'already \\$(x)');
    assert.strictEqual(escapeIcons('price $5 (net)'), 'price $5 (net)');
  });

  it('keeps labels on one short line', () => {
    assert.strictEqual(oneLine('a\nb\u2028c\u0007d   e'), 'a b c d e');
    assert.strictEqual(oneLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });

  it('shows the whoami username and the project when signed in, with server icons escaped', () => {
    const view = describeStatus({
      kind: 'signedIn',
      account,
      identity: { userCode: 'u-1', username: '$(warning) ADMIN [x](command:workbench.action.quit)' },
      restored: false,
    });
    assert.ok(view.text.startsWith('$(pass-filled) \\$(warning) ADMIN'));
    assert.ok(view.text.endsWith('PRJ000001'));
    assert.ok(view.tooltip.some((l) => l.includes('u-1')));
    assert.strictEqual(view.attention, 'none');
  });

  it('offers the import when there is no key, and flags failures', () => {
    assert.match(describeStatus({ kind: 'noAccount' }).text, /Import Key/);
    const failed = describeStatus({ kind: 'failed', account, message: 'key is deactivated', hint: 'Import a new key.' });
    assert.strictEqual(failed.attention, 'error');
    assert.ok(failed.tooltip.includes('key is deactivated'));
    assert.ok(failed.tooltip.includes('Import a new key.'));
  });

  it('says plainly when credentials live in memory only', () => {
    const view = describeStatus({ kind: 'signedIn', account, identity: { userCode: 'u', username: 'n' }, restored: true }, 'no keyring');
    assert.strictEqual(view.attention, 'warning');
    assert.ok(view.tooltip.some((l) => /memory for this window only.*no keyring/.test(l)));
  });
});
