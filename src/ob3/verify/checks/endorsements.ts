// Embedded endorsements (§9.2), at the credential, achievement and issuer levels. An endorsement
// that fails does not unmake the badge (the issuer's own signature stands); it is reported as a warning.
import type { EndorsementSummary, JsonObject } from '../../model.js';
import { result, type CheckResult, type VerifyContext } from '../context.js';
import type { VerifyInput } from '../input.js';

export type VerifyEndorsement = (input: VerifyInput, depth: number, on: EndorsementSummary['on']) => Promise<{ verified: boolean; reason: string }>;

function embedded(holder: unknown): VerifyInput[] {
  if (!holder || typeof holder !== 'object') return [];
  const h = holder as JsonObject;
  const objects = ([] as unknown[]).concat(h.endorsement ?? []).filter((e): e is JsonObject => !!e && typeof e === 'object');
  const jwts = ([] as unknown[]).concat(h.endorsementJwt ?? []).filter((e): e is string => typeof e === 'string');
  return [...objects, ...jwts];
}

export async function checkEndorsements(ctx: VerifyContext, verifyOne: VerifyEndorsement): Promise<CheckResult> {
  const { credential } = ctx;
  const all = [
    ...embedded(credential).map((e) => [e, 'credential'] as const),
    ...embedded(credential.credentialSubject?.achievement).map((e) => [e, 'achievement'] as const),
    ...(typeof credential.issuer === 'object' ? embedded(credential.issuer) : []).map((e) => [e, 'issuer'] as const),
  ];
  if (all.length === 0) return result(ctx, 'endorsements', 'skip', 'endorsements.none');
  const outcomes = await Promise.all(all.map(([e, on]) => verifyOne(e, ctx.depth + 1, on)));
  const failed = outcomes.filter((o) => !o.verified);
  if (failed.length === 0) return result(ctx, 'endorsements', 'pass', 'endorsements.pass', { count: all.length });
  return result(ctx, 'endorsements', 'warn', 'endorsements.warn', {
    failed: failed.length, count: all.length, detail: [...new Set(failed.map((f) => f.reason))].join('; '),
  });
}
