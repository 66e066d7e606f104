/**
 * Renders every device machine as a Mermaid state diagram into docs/diagrams/<machine>.md (`npm run diagrams`).
 * Test engineers read these; tests/devices/diagrams.test.ts renders them in memory and fails if the committed
 * files differ, so they cannot go stale.
 *
 * The walk uses each machine's definition (machine.root, state nodes, their transition definitions): compound
 * states become Mermaid composite states, parallel regions are separated by `--`, targeted transitions become
 * arrows labelled with their event and guard (drawn inside the composite that holds both ends), targetless ones
 * inside a state become self-loops. The root's
 * targetless transitions (the commands every device answers in any state) are listed in a table instead.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { chMachine } from '../devices/ch/chMachine';
import { esmeMachine } from '../devices/esme/esmeMachine';
import { gsmeMachine } from '../devices/gsme/gsmeMachine';
import { ppmidMachine } from '../devices/ppmid/ppmidMachine';
import { deviceSetMachine } from '../devices/set/deviceSetMachine';

export interface DiagramSpec {
  /** File name under docs/diagrams/, without `.md`. */
  name: string;
  title: string;
  source: string;
  machine: AnyStateMachine;
}

export const DIAGRAMS: readonly DiagramSpec[] = [
  { name: 'ch', title: 'Communications Hub (CH)', source: 'devices/ch/chMachine.ts', machine: chMachine },
  { name: 'esme', title: 'Electricity meter (ESME)', source: 'devices/esme/esmeMachine.ts', machine: esmeMachine },
  { name: 'gsme', title: 'Gas meter (GSME)', source: 'devices/gsme/gsmeMachine.ts', machine: gsmeMachine },
  {
    name: 'ppmid',
    title: 'Prepayment Meter Interface Device (PPMID)',
    source: 'devices/ppmid/ppmidMachine.ts',
    machine: ppmidMachine,
  },
  {
    name: 'deviceSet',
    title: 'Device set (parent of CH, ESME, GSME, PPMID)',
    source: 'devices/set/deviceSetMachine.ts',
    machine: deviceSetMachine,
  },
];

interface TransitionLike {
  eventType: string;
  target?: readonly AnyStateNode[];
  guard?: unknown;
  actions?: readonly unknown[];
  reenter?: boolean;
}

const mermaidId = (node: AnyStateNode) => node.id.replace(/[^A-Za-z0-9_]/g, '_');
const clean = (text: string) =>
  text
    .replace(/[^A-Za-z0-9 ._=()[\]/,+-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function describeGuard(guard: unknown): string {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'inline guard';
  const { type, params } = guard as { type?: string; params?: Record<string, unknown> };
  if (!params) return type ?? 'guard';
  return `${type}(${Object.entries(params)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(',')})`;
}

function describeActions(actions: readonly unknown[] | undefined): string {
  return (actions ?? [])
    .map((action) => {
      if (typeof action === 'string') return action;
      if (typeof action === 'function') return (action as { type?: string }).type ?? 'inline';
      return (action as { type?: string }).type ?? 'action';
    })
    .join(', ');
}

/** `after permitJoinRemaining`, `always`, or the event type. */
function describeEvent(node: AnyStateNode, eventType: string): string {
  if (eventType === '(always)') return 'always';
  if (!eventType.startsWith('xstate.after.')) return eventType;
  const delayed = (node.after as readonly { eventType: string; delay: unknown }[]).find(
    (after) => after.eventType === eventType,
  );
  return `after ${String(delayed?.delay ?? eventType.slice('xstate.after.'.length))}`;
}

/** In XState's order of preference: exact event types first, wildcards (`*`, `han.*`) after them. */
function transitionGroups(node: AnyStateNode): [string, readonly TransitionLike[]][] {
  const entries: [string, readonly TransitionLike[]][] = [...node.transitions.entries()] as never;
  const isWildcard = ([eventType]: [string, unknown]) => eventType === '*' || eventType.endsWith('.*');
  const groups = [...entries.filter((entry) => !isWildcard(entry)), ...entries.filter(isWildcard)];
  if (node.always) groups.push(['(always)', node.always as never]);
  return groups;
}

function label(node: AnyStateNode, eventType: string, transition: TransitionLike): string {
  const guard = describeGuard(transition.guard);
  return clean(`${describeEvent(node, eventType)}${guard ? ` [${guard}]` : ''}`);
}

/**
 * The composite a transition is drawn in: the deepest common ancestor of its source (excluded) and its targets.
 * Mermaid only accepts transitions among the states of the block they are written in (an arrow written outside
 * a second concurrent region into it is a syntax error: mermaid-js/mermaid#5096), so each arrow goes in its home.
 */
function homeOf(source: AnyStateNode, targets: readonly AnyStateNode[]): AnyStateNode {
  const ancestorsOf = (node: AnyStateNode) => {
    const chain: AnyStateNode[] = [];
    for (let current: AnyStateNode | undefined = node; current; current = current.parent) chain.push(current);
    return chain;
  };
  const candidates = ancestorsOf(source).slice(1);
  return (
    candidates.find((candidate) => targets.every((target) => ancestorsOf(target).includes(candidate))) ??
    source.machine.root
  );
}

function arrowsHomedAt(home: AnyStateNode, machine: AnyStateMachine): string[] {
  const arrows: string[] = [];
  const visit = (node: AnyStateNode) => {
    for (const [eventType, transitions] of transitionGroups(node)) {
      for (const transition of transitions) {
        const targets = transition.target ?? [];
        if (targets.length === 0 && node === machine.root) continue; // listed in the table instead
        const drawnTargets = targets.length > 0 ? targets : [node];
        if (homeOf(node, drawnTargets) !== home) continue;
        for (const target of drawnTargets)
          arrows.push(`${mermaidId(node)} --> ${mermaidId(target)} : ${label(node, eventType, transition)}`);
      }
    }
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  return arrows;
}

/** The inside of a block: the node's children (regions separated by `--`), then the arrows that live here. */
function renderInside(node: AnyStateNode, machine: AnyStateMachine, indent: string, lines: string[]): void {
  const children = Object.values(node.states as Record<string, AnyStateNode>);
  if (node.type === 'parallel') {
    children.forEach((child, index) => {
      if (index > 0) lines.push(`${indent}--`);
      renderState(child, machine, indent, lines);
    });
  } else {
    const initial = (node.initial as { target?: readonly AnyStateNode[] } | undefined)?.target?.[0];
    if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
    for (const child of children) renderState(child, machine, indent, lines);
  }
  for (const arrow of arrowsHomedAt(node, machine)) lines.push(`${indent}${arrow}`);
}

function renderState(node: AnyStateNode, machine: AnyStateMachine, indent: string, lines: string[]): void {
  if (Object.keys(node.states).length === 0) {
    lines.push(`${indent}state "${node.key}" as ${mermaidId(node)}`);
    return;
  }
  lines.push(`${indent}state "${node.key}" as ${mermaidId(node)} {`);
  renderInside(node, machine, `${indent}  `, lines);
  lines.push(`${indent}}`);
}

function rootTable(machine: AnyStateMachine): string[] {
  const rows: string[] = [];
  for (const [eventType, transitions] of transitionGroups(machine.root)) {
    for (const transition of transitions) {
      if ((transition.target ?? []).length > 0) continue;
      const guard = describeGuard(transition.guard);
      rows.push(
        `| \`${eventType}\` | ${guard ? `\`${guard}\`` : ''} | ${describeActions(transition.actions).replace(/\|/g, '\\|')} |`,
      );
    }
  }
  if (rows.length === 0) return [];
  return [
    '## Handled in every state (no state change)',
    '',
    'For each event the rows are tried top to bottom and the first whose guard holds runs; `*` catches every',
    'command no row above names.',
    '',
    '| event | guard | actions |',
    '|---|---|---|',
    ...rows,
    '',
  ];
}

export function renderMachineDiagram(spec: DiagramSpec): string {
  const { machine } = spec;
  const lines = ['stateDiagram-v2'];
  // The root is drawn as a composite too: Mermaid accepts the `--` of concurrent regions only inside one.
  renderState(machine.root, machine, '  ', lines);
  return [
    `# ${spec.title}: state machine \`${machine.id}\``,
    '',
    `Generated by \`npm run diagrams\` from ${spec.source}. Do not edit: tests/devices/diagrams.test.ts fails when`,
    'this file is stale.',
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
    ...rootTable(machine),
  ].join('\n');
}

export function diagramPath(spec: DiagramSpec): URL {
  return new URL(`../docs/diagrams/${spec.name}.md`, import.meta.url);
}

function main(): void {
  for (const spec of DIAGRAMS) {
    writeFileSync(diagramPath(spec), renderMachineDiagram(spec));
    console.log(`docs/diagrams/${spec.name}.md`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
