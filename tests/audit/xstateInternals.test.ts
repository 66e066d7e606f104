/**
 * The members of XState's Actor (and its system's `_relay`) that DeviceSetActor (devices/set/deviceSetActor.ts) reads
 * though XState's types keep them private. An XState release that renamed or changed one would not break the build:
 * the set would either lose its fast path without a word or, worse, emit at a moment the machine would not. Each assumption is checked here on
 * a plain XState actor, so that such a release fails this file naming the member, before any order test has to
 * be read to find out why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Actor, assign, createActor, emit, setup } from 'xstate';

/** A machine that emits on every `ping`, counting them, and can be asked for what its actor looks like meanwhile. */
const probe = setup({
  types: { context: {} as { pings: number }, events: {} as { type: 'ping' } },
}).createMachine({
  context: { pings: 0 },
  on: { ping: { actions: [assign({ pings: ({ context }) => context.pings + 1 }), emit({ type: 'pinged' })] } },
});

type Internals = Record<string, unknown> & {
  _processingStatus?: unknown;
  mailbox?: Record<string, unknown>;
  observers?: unknown;
  _actorScope?: Record<string, unknown>;
};

describe("XState's Actor internals DeviceSetActor relies on", () => {
  it('runs on the XState release it was written against (package.json pins it)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const installed = JSON.parse(
      readFileSync(new URL('../../node_modules/xstate/package.json', import.meta.url), 'utf8'),
    ).version;
    expect(pkg.dependencies.xstate, 'package.json must pin xstate exactly: DeviceSetActor reads its internals').toBe(
      '5.33.3',
    );
    expect(installed, 'the installed xstate is not the pinned one: re-check devices/set/deviceSetActor.ts').toBe(
      '5.33.3',
    );
  });

  it('_send on Actor.prototype is where every event sent to an actor arrives', () => {
    expect(typeof (Actor.prototype as unknown as Internals)._send, 'Actor.prototype._send is gone').toBe('function');
    const actor = createActor(probe);
    const arrived: string[] = [];
    const own = (actor as unknown as { _send(event: { type: string }): void })._send.bind(actor);
    (actor as unknown as { _send(event: { type: string }): void })._send = (event) => {
      arrived.push(event.type);
      own(event);
    };
    actor.start();
    actor.send({ type: 'ping' });
    expect(arrived, 'actor.send no longer goes through _send').toEqual(['ping']);
    expect(actor.getSnapshot().context.pings).toBe(1);
  });

  it('_processingStatus is 0 before start, 1 (Running) while running, 2 after stop', () => {
    const actor = createActor(probe) as unknown as Internals & { start(): void; stop(): void };
    expect(actor._processingStatus, '_processingStatus before start (NotStarted)').toBe(0);
    actor.start();
    expect(actor._processingStatus, '_processingStatus while running (Running, the RUNNING constant)').toBe(1);
    actor.stop();
    expect(actor._processingStatus, '_processingStatus after stop (Stopped)').toBe(2);
  });

  it('mailbox._active is false until start and true after; mailbox._current is null when idle and set mid-step', () => {
    const actor = createActor(probe);
    const internals = actor as unknown as Internals;
    expect(internals.mailbox, 'Actor.mailbox is gone').toBeTypeOf('object');
    expect(internals.mailbox!._active, 'mailbox._active before start').toBe(false);
    let duringStep: unknown = 'never read';
    actor.on('pinged', () => {
      // read in the emit action, inside the step: the event being processed must still be the mailbox's current
      duringStep = (actor as unknown as Internals).mailbox!._current;
    });
    actor.start();
    expect(internals.mailbox!._active, 'mailbox._active after start').toBe(true);
    expect(internals.mailbox!._current, 'mailbox._current of an idle actor').toBeNull();
    actor.send({ type: 'ping' });
    expect(
      duringStep,
      'mailbox._current during a step: must not be null (the fast path would emit out of turn)',
    ).not.toBeNull();
    expect(duringStep).toBeTypeOf('object');
    expect(internals.mailbox!._current, 'mailbox._current after the step').toBeNull();
  });

  it("observers is a Set of the subscribers' observers, with `next` for a snapshot subscriber only", () => {
    const actor = createActor(probe);
    const observers = (actor as unknown as Internals).observers;
    expect(observers, 'Actor.observers is not a Set').toBeInstanceOf(Set);
    const errorsOnly = actor.subscribe({ error: () => {} });
    const snapshots = actor.subscribe(() => {});
    const nexts = [...(observers as Set<{ next?: unknown }>)].map((o) => typeof o.next);
    expect(nexts.sort(), 'observers: one without next (errors only), one with').toEqual(['function', 'undefined']);
    errorsOnly.unsubscribe();
    snapshots.unsubscribe();
    expect((observers as Set<unknown>).size, 'observers after unsubscribing').toBe(0);
  });

  it("_actorScope.emit is what the machine's emit action calls: it reaches the actor's listeners", () => {
    const actor = createActor(probe);
    const scope = (actor as unknown as Internals)._actorScope;
    expect(typeof scope?.emit, 'Actor._actorScope.emit is gone').toBe('function');
    const heard: string[] = [];
    actor.on('pinged', (event) => heard.push(`listener ${event.type}`));
    actor.start();
    (scope!.emit as (event: { type: string }) => void)({ type: 'pinged' });
    actor.send({ type: 'ping' });
    expect(heard).toEqual(['listener pinged', 'listener pinged']);
  });

  it("system._relay is what the machine's sendTo calls: the inspectors told of the event from its source, then _send", () => {
    const seen: string[] = [];
    const sender = createActor(probe, {
      inspect: (event) => {
        if (event.type === '@xstate.event' && event.event.type === 'ping')
          seen.push(`inspected from ${event.sourceRef === sender ? 'sender' : String(event.sourceRef)}`);
      },
    });
    const relay = (sender.system as unknown as { _relay?: unknown })._relay;
    expect(typeof relay, 'system._relay is gone').toBe('function');
    sender.start();
    const target = createActor(probe);
    const own = (target as unknown as { _send(event: { type: string }): void })._send.bind(target);
    (target as unknown as { _send(event: { type: string }): void })._send = (event) => {
      seen.push(`_send ${event.type}`);
      own(event);
    };
    target.start();
    (relay as (source: unknown, target: unknown, event: { type: string }) => void)(sender, target, { type: 'ping' });
    expect(seen).toEqual(['inspected from sender', '_send ping']);
    expect(target.getSnapshot().context.pings).toBe(1);
  });
});
