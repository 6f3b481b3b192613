// The proof (§8.2.6 / §8.3.2) and key provenance (the key's controller is the issuer).
import { issuerId } from '../../proof/jwt.js';
import { errorResult, result, type CheckResult, type VerifyContext } from '../context.js';

/**
 * No signature at all, or one that proves nothing to a third party (JWT `none`, a shared-secret
 * HS*): nothing shows who issued the badge, and nothing shows it forged — unverifiable, never invalid.
 */
export const UNPROVEN = new Set(['PROOF_MISSING', 'JWT_ALG_FORBIDDEN']);

export function checkProof(ctx: VerifyContext): CheckResult {
  const proof = ctx.proof!;
  // A suite we cannot check says nothing either way: unsupported, never invalid.
  if (!proof.ok) {
    const { code } = proof.error;
    return errorResult(ctx, 'proof', proof.error, proof.unreachable || UNPROVEN.has(code) ? 'unverifiable' : code === 'PROOF_UNSUPPORTED' ? 'unsupported' : 'invalid');
  }
  const params = { kind: proof.kind, key: proof.methodId };
  if (proof.claimMismatch) return result(ctx, 'proof', 'warn', 'proof.claimMismatch', { ...params, ...proof.claimMismatch });
  return result(ctx, 'proof', 'pass', proof.missingNbf ? 'proof.noNbf' : 'proof.pass', params);
}

export function checkProvenance(ctx: VerifyContext): CheckResult {
  const proof = ctx.proof!;
  if (!proof.ok) return result(ctx, 'provenance', 'skip', 'check.skipProof');
  const issuer = issuerId(ctx.credential) ?? '—';
  if (proof.controllerId === undefined) {
    const detail = ctx.provenanceError?.localized(ctx.lang) ?? `${proof.methodId}`;
    return result(ctx, 'provenance', 'fail', 'provenance.unknown', { issuer, detail }, 'unverifiable');
  }
  if (proof.controllerId !== issuer) {
    return result(ctx, 'provenance', 'fail', 'provenance.fail', { issuer, controller: proof.controllerId }, 'invalid');
  }
  return result(ctx, 'provenance', 'pass', 'provenance.pass', { issuer });
}
