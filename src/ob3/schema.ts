// Validation against 1EdTech's official OB 3.0 JSON schemas (draft 2019-09), bundled in schemas/.
import { readFileSync } from 'node:fs';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { OB_SCHEMA_VALIDATOR_TYPE, VC_V1_CONTEXT, type CredentialSchema, type OpenBadgeCredential } from './model.js';
import { projectPath } from './paths.js';

const PURL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema';
const APPENDIX = 'spec-appendix-e2-2024-04';

/** Schema file for each kind of credential and data model version. */
const FILES = {
  achievement: 'ob_v3p0_achievementcredential_schema.json',
  endorsement: 'ob_v3p0_endorsementcredential_schema.json',
  achievementV1: `${APPENDIX}/ob_v3p0_achievementcredentialv1p1_schema.json`,
  endorsementV1: `${APPENDIX}/ob_v3p0_endorsementcredentialv1p1_schema.json`,
} as const;
type SchemaName = keyof typeof FILES;

/** URLs under which 1EdTech has published these schemas (purl json/, json-ld/, and the repo build names). */
const KNOWN_URLS: Record<string, SchemaName> = {};
for (const [name, file] of Object.entries(FILES) as [SchemaName, string][]) {
  const base = file.split('/').pop()!.replace(/\.json$/, '');
  for (const dir of ['json', 'json-ld']) {
    KNOWN_URLS[`${PURL}/${dir}/${base}.json`] = name;
    KNOWN_URLS[`${PURL}/${dir}/${base}-jsonschema1.json`] = name;
  }
}

let ajv: Ajv2019 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    if (!ajv) {
      ajv = new Ajv2019({ strict: false, allErrors: false, validateFormats: true });
      (addFormatsModule as unknown as (a: Ajv2019) => void)(ajv);
    }
    const schema = JSON.parse(readFileSync(projectPath('schemas', FILES[name]), 'utf8')) as { $id?: string };
    fn = ajv.getSchema(schema.$id ?? name) ?? ajv.compile(schema);
    compiled.set(name, fn);
  }
  return fn;
}

export interface SchemaResult {
  /** The schema URL the credential was checked against. */
  schema: string;
  /** The credential declares a 1EdTechJsonSchemaValidator2019 schema (failure is then fatal). */
  declared: boolean;
  /** The declared schema is one we bundle (false: we fell back on the official one). */
  known: boolean;
  /** null when valid, else short descriptions of the first problems. */
  errors: string[] | null;
}

export function validateSchema(credential: OpenBadgeCredential, kind: 'achievement' | 'endorsement'): SchemaResult {
  const declared = ([] as CredentialSchema[])
    .concat(credential.credentialSchema ?? [])
    .filter((s) => s && s.type === OB_SCHEMA_VALIDATOR_TYPE && typeof s.id === 'string');
  const v1 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1_CONTEXT;
  const fallback: SchemaName = v1 ? `${kind}V1` : kind;
  const targets = declared.length
    ? declared.map((s) => ({ url: s.id, name: KNOWN_URLS[s.id] }))
    : [{ url: undefined, name: fallback }];
  for (const target of targets) {
    const name = target.name ?? fallback;
    const fn = validator(name);
    if (!fn(credential)) {
      const errors = (fn.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
      return { schema: target.url ?? name, declared: declared.length > 0, known: !!target.name, errors };
    }
  }
  const first = targets[0]!;
  return { schema: first.url ?? FILES[fallback], declared: declared.length > 0, known: targets.every((t) => !!t.name), errors: null };
}
