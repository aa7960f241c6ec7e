// Escapes untrusted text (ORT messages, tool output, warnings) for one line of GitHub-flavoured Markdown.
import { visibleText } from './control-chars.js';

// CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start markup inline: code spans,
// emphasis, links and images, raw HTML, autolinks, strikethrough, math ($), entities (&) and table cells (|)
const INLINE = /[\\`*_[\]<>|~$&!#]/g;

/** Text shown as written on one Markdown line (a table cell, a list item, a quote), clipped to `max` characters. */
export function markdownInline(text: string, max = 500): string {
  const flat = visibleText(text, true);
  const clipped = flat.length <= max ? flat : `${flat.slice(0, max)}… (${flat.length - max} more characters in report.json)`;
  return clipped.replace(INLINE, (c) => `\\${c}`);
}

/** A code span that holds `text` whatever backticks it contains (CommonMark: a longer backtick run delimits). */
export function markdownCode(text: string): string {
  const flat = visibleText(text, true);
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  // inside a GFM table a `|` splits the cell even in a code span, unless escaped
  return `${ticks}${pad}${flat.replace(/\|/g, '\\|')}${pad}${ticks}`;
}

/** A fence longer than any backtick run inside `text`, so tool output cannot close the block early. */
export function markdownFence(text: string): string {
  return '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
}
