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

  it('draws every state of the CH and its join window transitions, and the migration moves every device takes', () => {
    const ch = renderMachineDiagram(DIAGRAMS.find((spec) => spec.name === 'ch')!);
    for (const state of ['permitJoinClosed', 'permitJoinOpen']) {
      expect(ch).toContain(`state "${state}"`);
    }
    expect(ch).toContain('ch_han_permitJoinOpen --> ch_han_permitJoinClosed : after permitJoinRemaining');
    // the migration is context: no state of its own, its moves in the table of events handled in every state
    for (const state of ['resuming', 'smso', 'awaitingSwap', 'swapInProgress', 'dcc', 'dumb']) {
      expect(ch).not.toContain(`state "${state}"`);
    }
    expect(ch).toContain('| `core.credentialsReplaced` | `core.isRecoveryOfDumb` | core.enterSmso |');
    expect(ch).toContain('| `core.credentialsRefused` | `core.isSwapInProgress` | core.enterDumb |');
  });
});
