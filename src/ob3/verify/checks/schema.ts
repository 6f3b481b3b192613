// JSON schema (§9.1 step 1, VCCS-10): always reported; fatal only when the credential declares it.
import { validateSchema } from '../../schema.js';
import { result, type CheckResult, type VerifyContext } from '../context.js';

export function checkSchema(ctx: VerifyContext): CheckResult {
  const outcome = validateSchema(ctx.credential, ctx.kind);
  const schema = outcome.schema.split('/').pop()!;
  if (!outcome.errors) return result(ctx, 'schema', 'pass', 'schema.pass', { schema });
  const detail = outcome.errors.join('; ');
  if (!outcome.declared) return result(ctx, 'schema', 'warn', 'schema.notDeclared', { detail });
  if (!outcome.known) return result(ctx, 'schema', 'fail', 'schema.unknown', { schema: outcome.schema, detail }, 'invalid');
  return result(ctx, 'schema', 'fail', 'schema.fail', { detail }, 'invalid');
}
