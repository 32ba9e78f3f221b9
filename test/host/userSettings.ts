import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes the profile's user settings. The defaults keep the workbench quiet and predictable: no
 * Welcome editor grabbing focus (it closes an open quick input), no update or gallery checks.
 */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown>): string {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
    // The gateway's port would otherwise be offered for forwarding in a notification.
    'remote.autoForwardPorts': false,
    ...extra,
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}
