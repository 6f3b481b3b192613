// The report page for a collective's members and, across the network, for the instance's admins;
// each also as CSV and as a spreadsheet (XLSX).
import { Router, type Request, type Response } from 'express';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { listAteliers } from '../ateliers/ateliers.js';
import { locals } from '../web/http.js';
import { bindTo, render, type Web } from '../web/render.js';
import { collectiveBase, currentAccount, memberScope, tr } from '../web/members.js';
import { collectiveReport, networkReport, readReportQuery, type Report } from './report.js';
import { TOTAL_KEYS, reportCsv, reportTables, valueOf, type Table } from './tables.js';
import { reportPdf, reportXlsx } from './exports.js';
import { formatDate, translate } from '../i18n/index.js';

export function reportRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/report', on(showCollectiveReport))
    .get('/c/:slug/report.:format', on(exportCollectiveReport))
    .get('/admin/report', on(showNetworkReport))
    .get('/admin/report.:format', on(exportNetworkReport));
}

/** Bars for the charts, drawn as SVG by the page (no script: the CSP stays strict); hidden cells get no bar. */
function chart(table: Table) {
  const max = Math.max(1, ...table.rows.filter((r) => !r.hidden).map((r) => r.count));
  return table.rows.map((r, i) => ({ ...r, y: i * 28, width: r.hidden ? 0 : Math.round((r.count / max) * 100) }));
}

function reportView(res: Response, report: Report) {
  const tables = reportTables(report, locals(res).lang);
  const [totals, ...rest] = tables;
  return {
    query: report.query, previous: !!report.previous,
    totals: { ...totals!, rows: totals!.rows.map((r, i) => ({ ...r, before: report.previous ? valueOf(report.previous[TOTAL_KEYS[i]!]) : undefined })) },
    breakdowns: rest.map((t) => ({ ...t, bars: chart(t), height: t.rows.length * 28, hasData: t.rows.some((r) => r.count > 0) })),
  };
}

async function showCollectiveReport(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const query = readReportQuery(req.query, web.ctx.now());
  const [report, badges, ateliers] = await Promise.all([collectiveReport(web.ctx, s, query), currentBadgeClasses(web.ctx, s), listAteliers(web.ctx, s)]);
  const search = new URLSearchParams(Object.entries({ from: query.from, to: query.to, badge: query.badgeClassId ?? '', atelier: query.atelierId ?? '' }).filter(([, v]) => v)).toString();
  render(web, res, 'reports/report', {
    ...collectiveBase(s), title: tr(res, 'report.title'), ...reportView(res, report), exportBase: `/c/${s.collective.slug}/report`, search,
    badges: badges.map((b) => ({ id: b.badgeClassId, name: b.name, selected: b.badgeClassId === query.badgeClassId })),
    ateliers: ateliers.map((a) => ({ id: a.id, title: a.title, date: a.date, selected: a.id === query.atelierId })),
  });
}

async function showNetworkReport(web: Web, req: Request, res: Response) {
  const query = readReportQuery(req.query, web.ctx.now());
  const report = await networkReport(web.ctx, currentAccount(res), query);
  const search = new URLSearchParams({ from: query.from, to: query.to }).toString();
  render(web, res, 'reports/report', { title: tr(res, 'report.networkTitle'), network: true, ...reportView(res, report), exportBase: '/admin/report', search });
}

async function sendExport(web: Web, req: Request, res: Response, report: Report, name: string, organisation: { name: string; logoPng: Buffer | null }) {
  const { lang } = locals(res);
  // Plain words (no page typography): the files leave the web page.
  const tables = reportTables(report, lang);
  const file = `${name}-${report.query.from}-${report.query.to}`;
  res.set('Cache-Control', 'no-store');
  if (req.params.format === 'csv') return res.type('text/csv; charset=utf-8').attachment(`${file}.csv`).send(reportCsv(tables));
  if (req.params.format === 'xlsx') {
    return res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${file}.xlsx`).send(await reportXlsx(tables, translate(lang, 'report.title')));
  }
  if (req.params.format === 'pdf') {
    const header = {
      organisation: organisation.name, logoPng: organisation.logoPng, title: translate(lang, 'report.title'),
      period: `${formatDate(lang, report.query.from)} – ${formatDate(lang, report.query.to)}`, hiddenNote: translate(lang, 'report.intro'),
    };
    return res.type('application/pdf').attachment(`${file}.pdf`).send(await reportPdf(tables, header));
  }
  res.status(404).end();
}

async function exportCollectiveReport(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  await sendExport(web, req, res, await collectiveReport(web.ctx, s, readReportQuery(req.query, web.ctx.now())), `rapport-${s.collective.slug}`, s.collective);
}

async function exportNetworkReport(web: Web, req: Request, res: Response) {
  await sendExport(web, req, res, await networkReport(web.ctx, currentAccount(res), readReportQuery(req.query, web.ctx.now())), 'rapport-reseau', { name: 'Badgeons', logoPng: null });
}
