import { DuisInputError } from './errors';

/** `originatorEUI:targetEUI:counter` (DUIS RequestIDType): who sent it, to which device, and the sender's counter. */
export interface RequestId {
  /** Upper-case `XX-XX-XX-XX-XX-XX-XX-XX`. */
  readonly originator: string;
  readonly target: string;
  /** 0 … 2^64 − 1. */
  readonly counter: bigint;
}

const EUI = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}$/;
const COUNTER = /^(?:0|[1-9][0-9]{0,19})$/;
const COUNTER_MAX = (1n << 64n) - 1n;

/** EUIs are compared and written upper-case (the schema allows either case; duis-parser lowercases them). */
export function normaliseEui(text: string, where = 'EUI'): string {
  if (!EUI.test(text))
    throw new DuisInputError(`"${text}" is not an EUI-64 of the form XX-XX-XX-XX-XX-XX-XX-XX`, where);
  return text.toUpperCase();
}

export function parseRequestId(text: string, where = 'RequestID'): RequestId {
  const parts = text.trim().split(':');
  if (parts.length !== 3) throw new DuisInputError(`"${text}" is not originator:target:counter`, where);
  const counter = parseCounter(parts[2], where);
  return { originator: normaliseEui(parts[0], where), target: normaliseEui(parts[1], where), counter };
}

/** A RequestID counter: a decimal integer in 0 … 2^64 − 1. */
export function parseCounter(text: string, where = 'counter'): bigint {
  // read once: the check of its range and the value are the same BigInt
  const counter = COUNTER.test(text) ? BigInt(text) : -1n;
  if (counter < 0n || counter > COUNTER_MAX) {
    throw new DuisInputError(`counter "${text}" is not an integer in 0…2^64−1`, where);
  }
  return counter;
}

export function formatRequestId(id: RequestId): string {
  return `${id.originator.toUpperCase()}:${id.target.toUpperCase()}:${id.counter}`;
}
