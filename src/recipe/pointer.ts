// JSON pointers (RFC 6901) as used by ajv's instancePath, plus the dotted form shown to users.

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Appends one key or index to a pointer: join('/steps', 0) → '/steps/0'. */
export function join(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(String(token))}`;
}

export function split(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeToken);
}

export function parent(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/** True when `pointer` is `prefix` itself or lies below it. */
export function isUnder(pointer: string, prefix: string): boolean {
  return prefix === '' || pointer === prefix || pointer.startsWith(`${prefix}/`);
}

/** '/steps/0/with/level' → 'steps[0].with.level'; keys that are not identifiers are quoted. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const token of split(pointer)) {
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(token)) out += out === '' ? token : `.${token}`;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** The value at a pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of split(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
