// Dates in other people's credentials and status lists, read as a careful verifier reads them.

/**
 * How far the issuer's clock and ours may disagree (RFC 7519 §4.1.5 allows "a few minutes" for a
 * JWT's dates): a badge dated seconds ahead of our clock is not "not yet valid", nor one a minute
 * past its end "expired" — what a careful reader would also conclude.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * An XML Schema dateTime (VC 2.0 §4.9), as milliseconds; no zone is read as UTC, and a bare date
 * (older badges) as its midnight UTC — readable, if not conformant (the schema check says so).
 * Date.parse alone would read "fin 2027" as 1 January 2027.
 */
export function readDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  const time = match && (match[2] || !match[3]) ? Date.parse(`${match[1]}${match[2] ?? 'T00:00:00'}${match[3] ?? 'Z'}`) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
