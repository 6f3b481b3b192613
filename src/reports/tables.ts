// The report as tables in the reader's language: one for the totals (with the period before), one per
// breakdown. The page, its charts, the CSV and the spreadsheet all read these, so they say the same.
import { translate, formatDate, type AppMessageKey } from '../i18n/index.js';
import type { Lang } from '../ob3/model.js';
import type { Cell, Report } from './report.js';
import { spreadsheetCell } from '../shared/text.js';

export interface Row { label: string; value: number | string; count: number; hidden: boolean }
export interface Table { id: string; title: string; rows: Row[] }

export const valueOf = (c: Cell): number | string => (c.hidden ? '< 5' : c.count);
export const TOTAL_KEYS = ['ateliers', 'people', 'badges', 'opened', 'wallet', 'shared', 'revoked'] as const;

export function reportTables(report: Report, lang: Lang): Table[] {
  const tr = (key: string, params: Record<string, unknown> = {}) => translate(lang, key as AppMessageKey, params);
  const row = (label: string, c: Cell): Row => ({ label, value: valueOf(c), count: c.count, hidden: c.hidden });
  const totals: Table = {
    id: 'totals', title: tr('report.totals'),
    rows: TOTAL_KEYS.map((k) => row(tr(`report.total.${k}`), report.totals[k])),
  };
  const labelled = (id: string, cells: Cell[], label: (key: string) => string): Table => ({ id, title: tr(`report.by.${id}`), rows: cells.map((c) => row(label(c.key), c)) });
  const named = (prefix: string) => (key: string) => (key === 'unknown' ? tr('report.unknown') : key === 'none' ? tr('report.noEpci') : report.names.get(`${prefix}:${key}`) ?? key);
  const month = (key: string) => formatDate(lang, `${key}-01`).replace(/^\d+\s/, '');
  return [
    totals,
    labelled('gender', report.gender, (k) => tr(`report.gender.${k}`)),
    labelled('ageBand', report.ageBand, (k) => tr(`report.age.${k}`)),
    labelled('situation', report.situation, (k) => tr(`report.situation.${k}`)),
    labelled('departement', report.departement, named('departement')),
    labelled('epci', report.epci, named('epci')),
    labelled('qpv', report.qpv, (k) => tr(`report.qpv.${k}`)),
    labelled('skill', report.skill, named('skill')),
    labelled('month', report.month, month),
  ];
}

/** The tables as one CSV a French spreadsheet opens as it is: UTF-8 with a BOM, semicolons. */
export function reportCsv(tables: Table[]): string {
  const lines = tables.flatMap((t) => [spreadsheetCell(t.title), ...t.rows.map((r) => `${spreadsheetCell(r.label)};${spreadsheetCell(r.value)}`), '']);
  return `\uFEFF${lines.join('\r\n')}`;
}
