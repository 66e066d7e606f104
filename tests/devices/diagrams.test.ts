import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGRAMS, diagramPath, renderMachineDiagram } from '../../scripts/render-diagrams';

describe('docs/diagrams', () => {
  it.each(DIAGRAMS.map((spec) => [spec.name, spec] as const))(
    '%s.md is up to date (npm run diagrams)',
    (_name, spec) => {
      expect(readFileSync(diagramPath(spec), 'utf8')).toBe(renderMachineDiagram(spec));
    },
  );

  it('draws every state of the CH and its join window transitions', () => {
    const ch = renderMachineDiagram(DIAGRAMS.find((spec) => spec.name === 'ch')!);
    for (const state of [
      'resuming',
      'smso',
      'awaitingSwap',
      'swapInProgress',
      'dcc',
      'dumb',
      'permitJoinClosed',
      'permitJoinOpen',
    ]) {
      expect(ch).toContain(`state "${state}"`);
    }
    expect(ch).toContain('ch_han_permitJoinOpen --> ch_han_permitJoinClosed : after permitJoinRemaining');
    expect(ch).toContain('core_dumb --> ch_migration_smso_swapInProgress : core.credentialsReplaced [core.byRecovery]');
  });
});
