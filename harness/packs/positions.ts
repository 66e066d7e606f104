/**
 * Where a value of a parsed pack sits in its YAML text: a path of keys and indexes (as in an ajv instancePath) →
 * line and column (1-based) of the node, or of the key when the problem is the key itself.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export class PackLocator {
  constructor(
    readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The value at `path`, or the nearest enclosing node that exists (a missing value is reported where it belongs). */
  value(path: readonly PathSegment[]): SourcePosition {
    return this.position(this.walk(path, false));
  }

  /** The key node of the last segment of `path` (an unknown field, a duplicate name's key), else the value. */
  key(path: readonly PathSegment[]): SourcePosition {
    return this.position(this.walk(path, true));
  }

  /** A scalar's text as written (`3.0e31` is shown as the digits the author typed), if `path` is a scalar. */
  source(path: readonly PathSegment[]): string | undefined {
    const node = this.walk(path, false);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }

  /** An offset of the text (a YAML syntax error's). */
  offset(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private position(node: Node | null | undefined): SourcePosition {
    return this.offset(node?.range?.[0] ?? 0);
  }

  private walk(path: readonly PathSegment[], wantKey: boolean): Node | null | undefined {
    let node: Node | null | undefined = this.document.contents;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (pair === undefined) return node;
        const key = pair.key as Node | null;
        // a key with no value (`migrate:`) has a null value node at the key's end: point at the key instead
        const value = pair.value as Node | null;
        if (last && wantKey) return key ?? value;
        node = value !== null && isScalar(value) && value.value === null && value.source === '' ? key : (value ?? key);
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (item === undefined) return node;
        node = item;
      } else {
        return node;
      }
    }
    return node;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** An ajv instancePath (`/scenarios/0/steps/2`) as segments; array indexes stay strings, which walk() accepts. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * `scenarios[0].steps[2].sr.params.JoinTimePeriod`, for messages: an index where the value is a list, a key
 * otherwise (quoted when it is not a plain name, as a quirk id like "91342" is not).
 */
export function pathText(root: unknown, path: readonly PathSegment[]): string {
  let text = '';
  let value: unknown = root;
  for (const segment of path) {
    if (Array.isArray(value)) {
      text += `[${segment}]`;
      value = value[Number(segment)];
      continue;
    }
    const key = String(segment);
    text += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (text === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return text;
}
