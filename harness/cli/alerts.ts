/** `smets1 alerts [filter]`: the alert codes the emulated devices and the S1SP raise, with their descriptions and when. */
import { Command, CommanderError } from 'commander';
import { alertsMatching } from '../duis/alertVocabulary';

export function alertsCommand(out: (line: string) => void): Command {
  return new Command('alerts')
    .description(
      'list the alert codes the emulated devices and the S1SP raise, with their DUIS descriptions and when each fires',
    )
    .argument(
      '[filter]',
      'only the codes whose code, description, devices or "when" contain this text (e.g. 8F48, join, ESME)',
    )
    .action((filter: string | undefined) => {
      const entries = alertsMatching(filter);
      if (entries.length === 0)
        throw new CommanderError(1, 'smets1.no-alert', `smets1 alerts: no alert code matches "${filter}"`);
      for (const entry of entries) {
        out(`${entry.code.padEnd(7)} ${entry.description}`);
        out(`        raised by: ${entry.raisedBy}`);
        out(`        when: ${entry.when}`);
      }
    });
}
