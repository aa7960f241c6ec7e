// Step dependencies: a step without `needs` runs after the step listed before it; cycles are found and named.

export interface StepLike {
  id?: unknown;
  needs?: unknown;
}

/** Each step's effective `needs`: as written, or [previous step's id] when absent ([] for the first step). */
export function effectiveNeeds(steps: readonly StepLike[]): string[][] {
  return steps.map((step, i) => {
    if (Array.isArray(step.needs)) return step.needs.filter((n): n is string => typeof n === 'string');
    const previous = i > 0 ? steps[i - 1]?.id : undefined;
    return typeof previous === 'string' ? [previous] : [];
  });
}

/** Every dependency cycle once, as step indexes in `needs` order (a needs b needs … needs a), smallest index first. */
export function findCycles(ids: readonly (string | undefined)[], needs: readonly string[][]): number[][] {
  const indexOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id !== undefined && !indexOf.has(id)) indexOf.set(id, i);
  });
  const state = new Array<'new' | 'open' | 'done'>(ids.length).fill('new');
  const cycles: number[][] = [];
  const seen = new Set<string>();
  const stack: number[] = [];
  const visit = (i: number): void => {
    state[i] = 'open';
    stack.push(i);
    for (const dep of needs[i] ?? []) {
      const j = indexOf.get(dep);
      if (j === undefined) continue;
      if (state[j] === 'open') {
        const cycle = rotateToMin(stack.slice(stack.indexOf(j)));
        const key = cycle.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (state[j] === 'new') {
        visit(j);
      }
    }
    stack.pop();
    state[i] = 'done';
  };
  ids.forEach((_, i) => {
    if (state[i] === 'new') visit(i);
  });
  return cycles;
}

function rotateToMin(cycle: number[]): number[] {
  const k = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(k), ...cycle.slice(0, k)];
}
