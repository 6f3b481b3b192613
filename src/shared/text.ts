// Text people type or import that ends up signed into badges (names, reflections, badge and atelier
// words). Control characters in it mean a file read in the wrong encoding (Excel's Windows-1252 read
// as something else turns œ ’ € into C1 controls) or a spoof (bidirectional overrides reorder what a
// reader sees); U+FFFD means a character was already lost. Such text is refused before anything is
// signed, with a message saying where.

/** C0 and C1 controls, DEL, bidirectional embeddings/overrides/isolates, and the replacement character. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd]/u;
/** The same, where line breaks and tabs are part of the text (reflections, descriptions). */
// eslint-disable-next-line no-control-regex -- as above
const IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd]/u;

/** True when `value` holds a character no person meant to type there. */
export function hasHiddenCharacters(value: string, multiline = false): boolean {
  return (multiline ? IN_TEXT : IN_LINE).test(value);
}

/**
 * A CSV cell for a spreadsheet: quoted when needed, and a leading = + - @ (a formula to Excel or
 * LibreOffice, which a name could smuggle in) made inert with an apostrophe.
 */
export function spreadsheetCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
