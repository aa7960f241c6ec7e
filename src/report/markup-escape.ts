// Escapes text for XML and HTML (element content and quoted attributes alike), dropping characters XML 1.0 forbids.

// C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates cannot appear in XML 1.0, even as references
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe inside element content and inside a single- or double-quoted attribute. */
export function escapeMarkup(text: string): string {
  return text.replace(FORBIDDEN, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** For attributes whose line breaks must survive a parser's attribute-value normalization (XML turns raw \n into a space). */
export function escapeAttribute(text: string): string {
  return escapeMarkup(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
