// A few optional facts about a participant, entered with her, for the funder's report only — never in
// a credential, a public page, a claim page, an API answer or a log, and erased with her. Each
// accepts the form's codes and what a French spreadsheet says ("Femme", "DE", "oui"…).
import { AppError } from '../shared/errors.js';
import { findCommune } from './territories.js';

export const GENDERS = ['woman', 'man', 'other', 'no-answer'] as const;
export const AGE_BANDS = ['under-16', '16-25', '26-44', '45-54', '55-64', '65-plus'] as const;
export const SITUATIONS = ['job-seeker', 'rsa', 'mission-locale', 'employed', 'training', 'retired', 'other'] as const;
export const QPV = ['yes', 'no', 'unknown'] as const;

export interface ParticipantFacts {
  gender: (typeof GENDERS)[number] | null;
  /** Stored as the band at the atelier's date, never a birth year. */
  ageBand: (typeof AGE_BANDS)[number] | null;
  situation: (typeof SITUATIONS)[number] | null;
  /** INSEE code of her commune of residence. */
  commune: string | null;
  qpv: (typeof QPV)[number] | null;
}

export const NO_FACTS: ParticipantFacts = { gender: null, ageBand: null, situation: null, commune: null, qpv: null };

export interface RawFacts { gender?: string; age?: string; birthYear?: string; situation?: string; commune?: string; qpv?: string }

const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9+]+/g, ' ').trim();

const WORDS: Record<string, Record<string, string>> = {
  gender: { femme: 'woman', f: 'woman', homme: 'man', h: 'man', m: 'man', autre: 'other', 'ne souhaite pas repondre': 'no-answer', nsp: 'no-answer' },
  situation: {
    'demandeur d emploi': 'job-seeker', 'demandeuse d emploi': 'job-seeker', 'demandeur se d emploi': 'job-seeker', de: 'job-seeker',
    rsa: 'rsa', 'beneficiaire du rsa': 'rsa', 'mission locale': 'mission-locale', salarie: 'employed', salariee: 'employed', 'salarie e': 'employed',
    'en formation': 'training', formation: 'training', retraite: 'retired', retraitee: 'retired', 'retraite e': 'retired', autre: 'other',
  },
  qpv: { oui: 'yes', o: 'yes', yes: 'yes', non: 'no', n: 'no', no: 'no', 'ne sait pas': 'unknown', nsp: 'unknown' },
};

function pick<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  const word = WORDS[field]?.[plain(text)];
  if (word && (allowed as readonly string[]).includes(word)) return word as T;
  throw new AppError('FACT_INVALID', 400, { field });
}

/** The age band at the atelier's date, from an age, a band, or a year of birth (which is not kept). */
function ageBand(raw: RawFacts, atelierDate: string): ParticipantFacts['ageBand'] {
  const given = (raw.age ?? '').trim();
  if ((AGE_BANDS as readonly string[]).includes(given)) return given as ParticipantFacts['ageBand'];
  const year = Number((raw.birthYear ?? '').trim());
  const atelierYear = Number(atelierDate.slice(0, 4));
  const age = given ? Number(given) : raw.birthYear?.trim() ? atelierYear - year : NaN;
  if (!given && !raw.birthYear?.trim()) return null;
  if (!Number.isInteger(age) || age < 5 || age > 110) throw new AppError('FACT_INVALID', 400, { field: 'age' });
  return age < 16 ? 'under-16' : age <= 25 ? '16-25' : age <= 44 ? '26-44' : age <= 54 ? '45-54' : age <= 64 ? '55-64' : '65-plus';
}

/** Reads what was given; nothing is required. FACT_INVALID names the field that cannot be read. */
export function readFacts(raw: RawFacts, atelierDate: string): ParticipantFacts {
  const communeText = (raw.commune ?? '').trim();
  let commune: string | null = null;
  if (communeText) {
    const found = findCommune(communeText);
    if (!found.territory) throw new AppError(found.ambiguous ? 'COMMUNE_AMBIGUOUS' : 'FACT_INVALID', 400, { field: 'commune', commune: communeText, departements: [...new Set(found.ambiguous ?? [])].join(', ') });
    commune = found.territory.commune;
  }
  return {
    gender: pick('gender', raw.gender, GENDERS), ageBand: ageBand(raw, atelierDate), situation: pick('situation', raw.situation, SITUATIONS),
    commune, qpv: pick('qpv', raw.qpv, QPV),
  };
}
