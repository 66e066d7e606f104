/** `smets1 quirks`: the device quirks, and the S1SP, WAN and DSP ones, with their defaults and fixes. */
import { Command } from 'commander';
import { listQuirks } from '../../devices/quirks/registry';
import { HARNESS_QUIRKS } from '../s1sp/harnessQuirks';

export function quirksCommand(out: (line: string) => void): Command {
  return new Command('quirks')
    .description('list the emulated defects (quirks) of the devices, the S1SP, the WAN and the DSP')
    .action(() => {
      out('Device quirks (switch with `smets1 emulate --quirk ID=on|off` or `smets1 send --quirk`):');
      for (const quirk of listQuirks()) {
        const defaults = Object.entries(quirk.defaultOn)
          .map(([vendor, on]) => `${vendor} ${on ? 'on' : 'off'}`)
          .join(', ');
        out(`${quirk.id.padEnd(7)} ${quirk.vendor} ${quirk.device}: ${quirk.title} (default: ${defaults})`);
        out(`        source: ${quirk.source}`);
        out(`        with the fix: ${quirk.fix}`);
        if (quirk.assumed) out(`        assumed: ${quirk.assumed}`);
      }
      out('');
      out(
        'S1SP, WAN and DSP quirks (on by default; remove with `smets1 send --fix SWITCH` or `--slot-check registered-network-operator`):',
      );
      for (const quirk of HARNESS_QUIRKS) {
        out(`${quirk.id.padEnd(11)} ${quirk.where}: ${quirk.title}`);
        out(`        source: ${quirk.source}`);
        out(`        fix${quirk.fix === undefined ? '' : ` (${quirk.fix})`}: ${quirk.fixDescription}`);
      }
    });
}
