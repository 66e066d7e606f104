/** `smets1 quirks`: the device quirks, their vendors and default states. */
import { Command } from 'commander';
import { listQuirks } from '../../devices/quirks/registry';

export function quirksCommand(out: (line: string) => void): Command {
  return new Command('quirks').description('list the emulated device defects (quirks) and their defaults').action(() => {
    for (const quirk of listQuirks()) {
      const defaults = Object.entries(quirk.defaultOn)
        .map(([vendor, on]) => `${vendor} ${on ? 'on' : 'off'}`)
        .join(', ');
      out(`${quirk.id.padEnd(7)} ${quirk.vendor} ${quirk.device}: ${quirk.title} (default: ${defaults})`);
      out(`        source: ${quirk.source}`);
      out(`        with the fix: ${quirk.fix}`);
      if (quirk.assumed) out(`        assumed: ${quirk.assumed}`);
    }
  });
}
