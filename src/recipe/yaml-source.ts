// Parses one YAML (or JSON) file into a plain value plus the place of every key and value, and all its syntax errors.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type YAMLError, type YAMLMap } from 'yaml';
import { EdgeoptError, type SourceLocation } from '../errors.js';
import { setOwn, type LocatedDoc, type NodeLoc } from './located-doc.js';
import { displayPath, join } from './pointer.js';

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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const message = `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
    return { file, errors: [new EdgeoptError({ code: 'E_FILE_MISSING', kind: 'usage', message, cause })] };
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): ParsedFile {
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
  const value = root ? toValue(root, '', { source, document, locs, errors, depth: 0 }) : null;
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
}

function toValue(node: Node, pointer: string, st: WalkState): unknown {
  if (st.depth > 64) return null;
  if (isAlias(node)) {
    const target = node.resolve(st.document);
    return target ? toValue(target, pointer, { ...st, depth: st.depth + 1 }) : null;
  }
  if (isScalar(node)) return node.value;
  const next = { ...st, depth: st.depth + 1 };
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
}

function mapToValue(node: YAMLMap, pointer: string, st: WalkState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const firstLine = new Map<string, number>();
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
    const p = join(pointer, key);
    const valueNode = pair.value as Node | null;
    // `key:` with nothing after it is null; its place is right after the colon
    const valueOffset = valueNode?.range?.[0] ?? keyNode?.range?.[1] ?? 0;
    st.locs.set(p, { key: keyLoc, value: st.source.at(valueOffset) });
    setOwn(out, key, valueNode ? toValue(valueNode, p, st) : null);
  }
  return out;
}
