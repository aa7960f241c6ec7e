// One error type for everything a user can get wrong or that can fail, with a stable code, a place and a hint.

export type ErrorKind = 'usage' | 'recipe' | 'step' | 'interrupted' | 'internal';

export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** the source line, for a caret under the column */
  lineText?: string;
}

export interface ErrorInit {
  code: string;
  message: string;
  kind?: ErrorKind;
  location?: SourceLocation;
  hint?: string;
  cause?: unknown;
}

export class EdgeoptError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly location?: SourceLocation;
  readonly hint?: string;

  constructor(init: ErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'EdgeoptError';
    this.code = init.code;
    this.kind = init.kind ?? 'recipe';
    if (init.location) this.location = init.location;
    if (init.hint) this.hint = init.hint;
  }
}

/** Several errors found in one pass (all errors of a file are reported at once). */
export class EdgeoptErrors extends Error {
  readonly errors: EdgeoptError[];
  constructor(errors: EdgeoptError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'EdgeoptErrors';
    this.errors = errors;
  }
}

/** Exit codes, in one table: 0 all SLOs met, 1 an SLO missed, 2 invalid recipe or usage, 3 a step failed. */
export const EXIT = {
  ok: 0,
  sloMissed: 1,
  invalid: 2,
  stepFailed: 3,
  interrupted: 130,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
    case 'recipe':
      return EXIT.invalid;
    case 'interrupted':
      return EXIT.interrupted;
    case 'step':
    case 'internal':
      return EXIT.stepFailed;
  }
}

/** Flattens whatever was thrown into a list of EdgeoptErrors (unknown throwables become 'internal'). */
export function asEdgeoptErrors(thrown: unknown): EdgeoptError[] {
  if (thrown instanceof EdgeoptErrors) return thrown.errors;
  if (thrown instanceof EdgeoptError) return [thrown];
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return [new EdgeoptError({ code: 'E_INTERNAL', kind: 'internal', message, cause: thrown })];
}
