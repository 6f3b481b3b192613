// Parcours for a collective's members: the list and the form to make one, and each one's grid.
import { Router, type Request, type Response } from 'express';
import { listAteliers } from '../ateliers/ateliers.js';
import { AppError } from '../shared/errors.js';
import { field, fieldList, form } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';
import { createParcours, listParcours, parcoursGrid } from './parcours.js';

export function parcoursRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/parcours', on((w, req, res) => parcoursList(w, req, res)))
    .post('/c/:slug/parcours', on(postParcours))
    .get('/c/:slug/parcours/:id', on(showParcours));
}

async function parcoursList(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const s = await memberScope(web, req, res);
  const [list, ateliers] = await Promise.all([listParcours(web.ctx, s), listAteliers(web.ctx, s)]);
  render(web, res, 'parcours/list', { ...collectiveBase(s), title: tr(res, 'parcours.title'), list, ateliers, ...extra }, status);
}

async function postParcours(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const body = form(req);
  try {
    const parcours = await createParcours(web.ctx, s, { name: field(body, 'name'), atelierIds: fieldList(body, 'atelier') });
    res.redirect(303, `/c/${s.collective.slug}/parcours/${parcours.id}`);
  } catch (error) {
    await parcoursList(web, req, res, { error: errorMessage(res, error), values: { name: field(body, 'name') } }, (error as AppError).status);
  }
}

async function showParcours(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const grid = await parcoursGrid(web.ctx, s, String(req.params.id));
  render(web, res, 'parcours/grid', { ...collectiveBase(s), title: grid.parcours.name, ...grid });
}
