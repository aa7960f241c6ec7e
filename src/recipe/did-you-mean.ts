// "Did you mean …?" suggestions: the closest allowed word by edit distance, when it is close enough to be a typo.
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word`, or undefined when none is plausibly a typo of it. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // a third of the word's length, at least 2: 'thredas' → 'threads', but 'foo' is not a typo of 'bar'
  const limit = Math.max(2, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  // a missing or extra suffix ('latency.p90' for 'latency.p90_ms') is a typo too
  const prefixed = [...candidates].find((c) => word.length >= 3 && (c.startsWith(word) || word.startsWith(c)));
  return prefixed;
}

/** A hint sentence: "did you mean `x`?" when a close candidate exists, else the list of allowed values. */
export function suggest(word: string, candidates: readonly string[], noun = 'allowed'): string {
  const best = closest(word, candidates);
  if (best !== undefined) return `did you mean \`${best}\`?`;
  return candidates.length > 0 ? `${noun}: ${candidates.join(', ')}` : '';
}
