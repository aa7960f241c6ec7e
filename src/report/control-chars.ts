// Control characters in untrusted text (tool output, ORT messages) made visible: no escape sequences reach a terminal or a page.

// C0 controls but tab and line feed, DEL, and C1 controls (U+0080-U+009F: 8-bit CSI and OSC in some terminals)
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Control characters become U+FFFD; CR LF becomes LF; `oneLine` turns line breaks into spaces. */
export function visibleText(text: string, oneLine = false): string {
  const safe = text.replace(/\r\n/g, '\n').replace(CONTROL, '\uFFFD');
  return oneLine ? safe.replace(/\n/g, ' ') : safe;
}
