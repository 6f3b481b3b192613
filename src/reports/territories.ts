// The official list of French communes (INSEE codes) with their département, EPCI and région, from
// @etalab/decoupage-administratif (maintained by Etalab), read once on first use (~37,000 communes).
import { createRequire } from 'node:module';

interface Commune { code: string; nom: string; departement?: string; region?: string; codesPostaux?: string[]; type: string }
interface Epci { code: string; nom: string; membres: { code: string }[] }
interface Departement { code: string; nom: string }

export interface Territory { commune: string; communeName: string; departement: string; departementName: string; epci: string; epciName: string }

interface Index { byCode: Map<string, Territory>; byPostcode: Map<string, string[]>; byName: Map<string, string[]> }

let index: Index | undefined;
const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function load(): Index {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const communes = (require('@etalab/decoupage-administratif/data/communes.json') as Commune[]).filter((c) => c.type === 'commune-actuelle');
  const epcis = require('@etalab/decoupage-administratif/data/epci.json') as Epci[];
  const departements = new Map((require('@etalab/decoupage-administratif/data/departements.json') as Departement[]).map((d) => [d.code, d.nom]));
  const epciOf = new Map<string, Epci>();
  for (const e of epcis) for (const m of e.membres) epciOf.set(m.code, e);
  const built: Index = { byCode: new Map(), byPostcode: new Map(), byName: new Map() };
  const add = (map: Map<string, string[]>, key: string, code: string) => map.set(key, [...(map.get(key) ?? []), code]);
  for (const c of communes) {
    const epci = epciOf.get(c.code);
    built.byCode.set(c.code, {
      commune: c.code, communeName: c.nom, departement: c.departement ?? '', departementName: departements.get(c.departement ?? '') ?? '',
      epci: epci?.code ?? '', epciName: epci?.nom ?? '',
    });
    for (const p of c.codesPostaux ?? []) add(built.byPostcode, p, c.code);
    add(built.byName, plain(c.nom), c.code);
  }
  return (index = built);
}

/** The territory of an INSEE code. */
export const territoryOf = (code: string): Territory | undefined => load().byCode.get(code);

/**
 * A commune as a person gives it: its INSEE code, its postcode (when only one commune has it), its
 * name (when only one commune has it), or "name postcode". `ambiguous` lists the candidates' départements.
 */
export function findCommune(typed: string): { territory?: Territory; ambiguous?: string[] } {
  const { byCode, byPostcode, byName } = load();
  const text = typed.trim();
  const postcode = /\b(\d{5})\b/.exec(text)?.[1];
  const name = plain(text.replace(/\b\d{5}\b/, ''));
  if (/^\d[\dAB]\d{3}$/.test(text) && byCode.has(text)) return { territory: byCode.get(text)! };
  let candidates = name ? byName.get(name) ?? [] : [];
  if (postcode) candidates = name ? candidates.filter((c) => (byPostcode.get(postcode) ?? []).includes(c)) : byPostcode.get(postcode) ?? [];
  if (candidates.length === 1) return { territory: byCode.get(candidates[0]!)! };
  return candidates.length > 1 ? { ambiguous: candidates.map((c) => byCode.get(c)!.departementName) } : {};
}
