// The report's optional facts as a form offers them, in the reader's words (atelier page, request page).
import type { Response } from 'express';
import { tr } from '../web/members.js';
import { GENDERS, QPV, SITUATIONS } from './facts.js';

export const factChoices = (res: Response) => ({
  gender: GENDERS.map((value) => ({ value, label: tr(res, `report.gender.${value}`) })),
  situation: SITUATIONS.map((value) => ({ value, label: tr(res, `report.situation.${value}`) })),
  qpv: QPV.map((value) => ({ value, label: tr(res, `report.qpv.${value}`) })),
});
