/** `smets1 templates [FILTER]`: the DCC RTDS request templates of @smartdcc/duis-templates, searchable. */
import { Command } from 'commander';
import { searchTemplates } from '../bench/rtdsTemplates';
import { supportedService } from '../duis/serviceCatalogue';

export function templatesCommand(out: (line: string) => void): Command {
  return new Command('templates')
    .description(
      'list the DCC RTDS request templates (@smartdcc/duis-templates); FILTER words match name, SRV or SR name',
    )
    .argument('[filter...]', 'words that must all appear, e.g. 8.11 or "network data"')
    .addHelpText(
      'after',
      '\nExamples:\n  smets1 templates 8.11\n  smets1 templates supply elster   # no match: vendors are not in template names\n  smets1 send $(smets1 templates 8.11 | head -1 | cut -d" " -f1)',
    )
    .action((filter: string[]) => {
      const found = searchTemplates(filter.join(' '));
      for (const t of found) {
        const carried = supportedService(t.srv) === undefined ? '' : ' *';
        out(`${t.name.padEnd(56)} ${t.srv.padEnd(7)} CV${t.commandVariant} ${t.srName}${carried}`);
      }
      out(`${found.length} template(s); * = an SR this SMETS1 bench carries to the devices`);
      if (found.length === 0) throw new Error(`no RTDS template matches "${filter.join(' ')}"`);
    });
}
