// Competence frameworks a badge class can be aligned to (OB 3.0 `alignment`): RECTEC and the CRCN,
// bundled in frameworks/ with their source and date; ESCO skills and ROME codes by URI or code,
// checked for their form. An alignment says, in the badge and in plain words on its pages, which
// competence the badge recognises and at which level.
import { readFileSync } from 'node:fs';
import { projectPath } from '../ob3/paths.js';
import type { Alignment } from '../ob3/model.js';

export interface FrameworkItem { code: string; name: string; ungraded?: boolean }
export interface Framework { id: 'RECTEC' | 'CRCN'; name: string; source: string; published: string; levels: number[]; groups: { name: string; items: FrameworkItem[] }[] }

/** A badge class's alignment as stored with its version. */
export interface AlignmentChoice {
  framework: 'RECTEC' | 'CRCN' | 'ESCO' | 'ROME';
  code: string;
  name: string;
  url: string;
  level?: number;
}

let bundled: Framework[] | undefined;

export function frameworks(): Framework[] {
  bundled ??= ['rectec.json', 'crcn.json'].map((file) => JSON.parse(readFileSync(projectPath('frameworks', file), 'utf8')) as Framework);
  return bundled;
}

const FRAMEWORK_URLS: Record<Framework['id'], (code: string) => string> = {
  RECTEC: (code) => `https://rectec.ac-versailles.fr/#${code}`,
  CRCN: (code) => `https://pix.fr/competences#${code}`,
};

const ESCO_SKILL = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROME_CODE = /^[A-N]\d{4}$/;

export interface AlignmentForm {
  /** `RECTEC:ORG3`, `CRCN:2.3`… */
  chosen: string[];
  levels: Partial<Record<Framework['id'], string>>;
  esco: string;
  escoName: string;
  rome: string;
}

/** The form's choices, checked; `undefined` names what is wrong (the form shows it). */
export function readAlignments(form: AlignmentForm): { alignments: AlignmentChoice[]; problem?: string } {
  const alignments: AlignmentChoice[] = [];
  for (const value of new Set(form.chosen)) {
    const [id, code] = value.split(':', 2) as [string, string | undefined];
    const framework = frameworks().find((f) => f.id === id);
    const item = framework?.groups.flatMap((g) => g.items).find((i) => i.code === code);
    if (!framework || !item) return { alignments, problem: 'alignment' };
    const levelText = form.levels[framework.id] ?? '';
    const level = levelText ? Number(levelText) : undefined;
    if (level !== undefined && !framework.levels.includes(level)) return { alignments, problem: 'alignment' };
    alignments.push({ framework: framework.id, code: item.code, name: item.name, url: FRAMEWORK_URLS[framework.id](item.code), ...(level && !item.ungraded ? { level } : {}) });
  }
  const esco = form.esco.trim();
  if (esco) {
    if (!ESCO_SKILL.test(esco)) return { alignments, problem: 'esco' };
    alignments.push({ framework: 'ESCO', code: esco.split('/').pop()!, name: form.escoName.trim() || esco, url: esco });
  }
  const rome = form.rome.trim().toUpperCase();
  if (rome) {
    if (!ROME_CODE.test(rome)) return { alignments, problem: 'rome' };
    alignments.push({ framework: 'ROME', code: rome, name: `ROME ${rome}`, url: `https://candidat.francetravail.fr/metierscope/fiche-metier/${rome}` });
  }
  return { alignments };
}

/** As OB 3.0 `Alignment` entries (targetFramework, targetCode, the level in targetDescription). */
export function alignmentEntries(choices: AlignmentChoice[]): Omit<Alignment, 'type'>[] {
  return choices.map((c) => ({
    targetName: c.name, targetUrl: c.url, targetCode: c.code, targetFramework: c.framework, targetType: 'ceasn:Competency',
    ...(c.level ? { targetDescription: `Niveau ${c.level}` } : {}),
  }));
}
