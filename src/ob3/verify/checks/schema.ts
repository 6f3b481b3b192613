// JSON schema (§9.1 step 1, VCCS-10): always reported, never the verdict. A departure from the
// schema is a conformance gap, not a forgery: it is a warning, worded more firmly when the
// credential declares the schema itself.
import { validateSchema } from '../../schema.js';
import { result, type CheckResult, type VerifyContext } from '../context.js';

export function checkSchema(ctx: VerifyContext): CheckResult {
  const outcome = validateSchema(ctx.credential, ctx.kind);
  const schema = outcome.schema.split('/').pop()!;
  if (!outcome.errors) return result(ctx, 'schema', 'pass', 'schema.pass', { schema });
  const detail = outcome.errors.join('; ');
  if (!outcome.declared) return result(ctx, 'schema', 'warn', 'schema.notDeclared', { detail });
  if (!outcome.known) return result(ctx, 'schema', 'warn', 'schema.unknown', { schema: outcome.schema, detail });
  return result(ctx, 'schema', 'warn', 'schema.fail', { detail });
}
