// Parses one YAML (or JSON) file into a plain value plus the place of every key and value, and all its syntax errors.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type YAMLError, type YAMLMap } from 'yaml';
import { EdgeoptError, type SourceLocation } from '../errors.js';
import { copyLocs, setOwn, type LocatedDoc, type NodeLoc } from './located-doc.js';
import { displayPath, join } from './pointer.js';
import { decodeRecipeText } from './text-encoding.js';

/** Values aliases may expand to in one file: far above any recipe, far below an alias bomb (9 levels of 9 = 387M). */
export const MAX_ALIAS_VALUES = 10_000;
/** Nesting levels of lists and mappings: a recipe needs about six. */
export const MAX_DEPTH = 64;

export interface ParsedFile {
  file: string;
  /** absent when the file has syntax errors (other errors here, like duplicate keys, still come with a doc) */
  doc?: LocatedDoc;
  errors: EdgeoptError[];
}

const SYNTAX_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  MISSING_CHAR: 'check for an unclosed quote or bracket',
  BAD_INDENT: 'align the entries of a block at the same indentation',
  MULTIPLE_DOCS: 'a recipe file holds one document; remove the `---` separator or split the file',
  BLOCK_AS_IMPLICIT_KEY: 'put a nested mapping on its own lines, or quote a value that contains `: `',
};

function syntaxMessage(e: YAMLError): { message: string; hint?: string } {
  // yaml's parser recurses per nesting level; thousands of `[` overflow the stack
  if (/call stack/i.test(e.message)) return { message: 'YAML syntax error: lists or mappings are nested too deeply to read', hint: 'a recipe needs only a few levels; look for a run of `[` or `{`' };
  if (e.code === 'MULTIPLE_DOCS') return { message: 'YAML syntax error: the file holds more than one document', hint: SYNTAX_HINTS['MULTIPLE_DOCS'] };
  const hint = /end with a \]/.test(e.message) ? 'close the list with `]`'
    : /end with a \}/.test(e.message) ? 'close the mapping with `}`'
      : SYNTAX_HINTS[e.code];
  return { message: `YAML syntax error: ${e.message}`, ...(hint ? { hint } : {}) };
}

/** Maps byte offsets of one file to locations with the line's text, for carets. */
export class SourceText {
  private readonly counter = new LineCounter();
  private readonly lines: string[];
  constructor(readonly file: string, readonly text: string) {
    this.lines = text.split('\n');
    let offset = 0;
    for (const line of this.lines) {
      this.counter.addNewLine(offset);
      offset += line.length + 1;
    }
  }
  at(offset: number): SourceLocation {
    const { line, col } = this.counter.linePos(offset);
    const lineText = (this.lines[line - 1] ?? '').replace(/\r$/, '');
    return { file: this.file, line, column: col, lineText };
  }
}

export async function readYamlFile(file: string): Promise<ParsedFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const message = `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
    return { file, errors: [new EdgeoptError({ code: 'E_FILE_MISSING', kind: 'usage', message, cause })] };
  }
  const text = decodeRecipeText(file, bytes);
  return typeof text === 'string' ? parseYamlText(file, text) : { file, errors: [text] };
}

export function parseYamlText(file: string, withBom: string): ParsedFile {
  // a byte-order mark is no character of line 1: keeping it would shift every column there by one
  const text = withBom.replace(/^\uFEFF/, '');
  const source = new SourceText(file, text);
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const errors: EdgeoptError[] = [];
  const seenLines = new Set<number>();
  for (const e of document.errors) {
    const location = source.at(openingOf(document, text, e) ?? e.pos[0]);
    // one tab or bracket often cascades into several errors on the same line; the first says it best
    if (seenLines.has(location.line)) continue;
    seenLines.add(location.line);
    errors.push(new EdgeoptError({ code: 'E_YAML_SYNTAX', location, ...syntaxMessage(e) }));
  }
  if (errors.length > 0) return { file, errors };
  const locs = new Map<string, NodeLoc>();
  const root = document.contents;
  const state: WalkState = { source, document, locs, errors, depth: 0, inAlias: false, open: new Set(), limits: { aliasValues: 0, stopped: false } };
  const value = root ? toValue(root, '', state) : null;
  // past an alias bomb or the depth limit the values are cut short: checking them would only add noise
  if (state.limits.stopped) return { file, errors };
  if (!root) locs.set('', { value: source.at(0) });
  else locs.set('', { value: source.at(root.range?.[0] ?? 0) });
  // duplicate or complex keys are reported but do not stop the rest of the file from being checked
  return { file, doc: { value, locs }, errors };
}

/**
 * yaml reports an unclosed quote or bracket where it gave up (often the next line or the end of the file);
 * the place a user must fix is where it was opened.
 */
function openingOf(document: Document, text: string, e: YAMLError): number | undefined {
  const opener = /closing '?quote|quote/i.test(e.message) ? /['"]/ : /end with a \]/.test(e.message) ? /\[/ : /end with a \}/.test(e.message) ? /\{/ : undefined;
  if (!opener) return undefined;
  let best: number | undefined;
  visit(document, (_key, node) => {
    const start = (node as Node).range?.[0];
    if (start !== undefined && start < e.pos[0] && opener.test(text[start] ?? '') && (best === undefined || start > best)) best = start;
  });
  return best;
}

interface WalkState {
  source: SourceText;
  document: Document;
  locs: Map<string, NodeLoc>;
  errors: EdgeoptError[];
  depth: number;
  /** inside the expansion of an alias: values made here count against the alias budget */
  inAlias: boolean;
  /** where the outermost alias being expanded is written (an alias bomb is reported there) */
  aliasSite?: SourceLocation;
  /** collections being converted, to catch an alias that points at one of its own ancestors */
  open: Set<Node>;
  limits: { aliasValues: number; stopped: boolean };
}

function placeOf(node: Node, st: WalkState): SourceLocation {
  return st.source.at(node.range?.[0] ?? 0);
}

/** Follows an alias, or says why it cannot be followed (cycle, bomb); undefined after an error. */
function followAlias(node: Node, st: WalkState): Node | undefined {
  const target = (node as unknown as { resolve(doc: Document): Node | undefined }).resolve(st.document);
  if (!target) return undefined;
  if (st.open.has(target)) {
    st.errors.push(new EdgeoptError({
      code: 'E_YAML_ALIAS', location: placeOf(node, st),
      message: `alias \`${String((node as unknown as { source: string }).source)}\` refers to a mapping or list that contains it, so it never ends`,
      hint: 'point the alias at an anchor outside the node it is written in',
    }));
    return undefined;
  }
  return target;
}

function toValue(node: Node, pointer: string, st: WalkState): unknown {
  if (st.limits.stopped) return null;
  if (st.inAlias && ++st.limits.aliasValues > MAX_ALIAS_VALUES) {
    st.limits.stopped = true;
    st.errors.push(new EdgeoptError({
      code: 'E_YAML_ALIAS', location: st.aliasSite ?? placeOf(node, st),
      message: `aliases in this file expand to more than ${MAX_ALIAS_VALUES} values; a recipe never needs that many (an "alias bomb" does)`,
      hint: 'write the repeated part once, or use `extends` to share settings between recipes',
    }));
    return null;
  }
  if (isAlias(node)) {
    const target = followAlias(node, st);
    return target ? toValue(target, pointer, { ...st, inAlias: true, aliasSite: st.aliasSite ?? placeOf(node, st) }) : null;
  }
  if (isScalar(node)) return node.value;
  if (st.depth >= MAX_DEPTH) {
    st.errors.push(new EdgeoptError({
      code: 'E_YAML_SYNTAX', location: placeOf(node, st),
      message: `lists and mappings are nested more than ${MAX_DEPTH} levels deep here`,
      hint: 'a recipe needs only a few levels; look for a runaway `[` or `-`',
    }));
    st.limits.stopped = true; // one error is enough, and nothing deeper is read
    return null;
  }
  const next = { ...st, depth: st.depth + 1 };
  st.open.add(node);
  try {
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const p = join(pointer, i);
        const itemNode = item as Node;
        st.locs.set(p, { value: st.source.at(itemNode.range?.[0] ?? node.range?.[0] ?? 0) });
        return toValue(itemNode, p, next);
      });
    }
    if (isMap(node)) return mapToValue(node, pointer, next);
    return null;
  } finally {
    st.open.delete(node);
  }
}

/** `<<` written plain is YAML 1.1's merge key (GitLab CI, Compose and Kubernetes files use it); quoted, it is a key. */
function isMergeKey(key: Node | null): boolean {
  return !!key && isScalar(key) && key.value === '<<' && key.type === 'PLAIN';
}

/**
 * Copies the keys of the mappings `<<` names (an alias, a mapping, or a list of them; earlier ones win) into `out`,
 * skipping keys the mapping sets itself. Their places stay where they are written, at the anchor.
 */
function mergeInto(out: Record<string, unknown>, own: Set<string>, value: Node | null, pointer: string, st: WalkState): void {
  const sources = value && isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
  for (const source of sources) {
    const target = isAlias(source) ? source.resolve(st.document) : source;
    if (!target) continue;
    if (!isMap(target)) {
      st.errors.push(new EdgeoptError({
        code: 'E_YAML_SYNTAX', location: placeOf(source, st),
        message: `\`<<\` merges mappings, but this is ${isSeq(target) ? 'a list' : 'a single value'}`,
        hint: 'write `<<: *anchor` with an anchor on a mapping, or `<<: [*a, *b]`',
      }));
      continue;
    }
    // through toValue: the alias budget, the depth limit and the cycle check apply to merged mappings too
    const locs = new Map<string, NodeLoc>();
    const values = toValue(source, pointer, { ...st, locs });
    if (!values || typeof values !== 'object') continue;
    for (const [key, v] of Object.entries(values)) {
      if (own.has(key) || Object.prototype.hasOwnProperty.call(out, key)) continue;
      setOwn(out, key, v);
      copyLocs(locs, join(pointer, key), st.locs);
    }
  }
}

function mapToValue(node: YAMLMap, pointer: string, st: WalkState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const firstLine = new Map<string, number>();
  const own = new Set(node.items.flatMap((pair) => (isScalar(pair.key) && !isMergeKey(pair.key as Node) ? [String(pair.key.value)] : [])));
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const keyLoc = st.source.at(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
    if (keyNode && !isScalar(keyNode)) {
      st.errors.push(new EdgeoptError({
        code: 'E_YAML_SYNTAX', location: keyLoc,
        message: `in \`${displayPath(pointer)}\`: map keys must be plain strings, found a ${isSeq(keyNode) ? 'list' : 'mapping'}`,
        hint: 'quote the key or remove the `?` / brackets around it',
      }));
      continue;
    }
    const key = keyNode ? String(keyNode.value) : '';
    const first = firstLine.get(key);
    if (first !== undefined) {
      st.errors.push(new EdgeoptError({
        code: 'E_DUPLICATE_KEY', location: keyLoc,
        message: `key \`${key}\` appears twice ${pointer === '' ? 'at the top level' : `in \`${displayPath(pointer)}\``} (first on line ${first})`,
        hint: 'remove one of them; YAML would silently keep only the last',
      }));
      continue;
    }
    firstLine.set(key, keyLoc.line);
    const valueNode = pair.value as Node | null;
    if (isMergeKey(keyNode)) {
      mergeInto(out, own, valueNode, pointer, st);
      continue;
    }
    const p = join(pointer, key);
    // `key:` with nothing after it is null; its place is right after the colon
    const valueOffset = valueNode?.range?.[0] ?? keyNode?.range?.[1] ?? 0;
    st.locs.set(p, { key: keyLoc, value: st.source.at(valueOffset) });
    setOwn(out, key, valueNode ? toValue(valueNode, p, st) : null);
  }
  return out;
}
