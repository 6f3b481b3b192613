// Handlebars views from views/: pages in folders by feature (as src/), partials in views/partials,
// one layout. Compiled once at start; escaping stays on ({{{ }}} only for our own Markdown HTML).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import MarkdownIt from 'markdown-it';
import { NARROW_NBSP, formatDate, hasMessage, translateForPage, type AppMessageKey } from '../i18n/index.js';
import type { Lang } from '../ob3/model.js';
import { projectPath } from '../ob3/paths.js';

// html:false: Markdown written by facilitators cannot inject tags.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith('.hbs') ? [full] : [];
  });
}

export interface Views {
  render(page: string, data: Record<string, unknown>): string;
}

export function loadViews(dir = projectPath('views')): Views {
  const hbs = Handlebars.create();
  hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    const lang = (options.data.root as { lang: Lang }).lang;
    return hasMessage(key) ? translateForPage(lang, key as AppMessageKey, options.hash) : key;
  });
  // The colon after a label: "État : actif" in French (narrow no-break space), "State: active" in English.
  hbs.registerHelper('colon', (options: Handlebars.HelperOptions) => ((options.data.root as { lang: Lang }).lang === 'fr' ? `${NARROW_NBSP}:` : ':'));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // 1-based positions for people: (inc @index).
  hbs.registerHelper('inc', (n: unknown) => Number(n) + 1);
  // Builds a message key from parts, e.g. (concat "credential.state." state).
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  hbs.registerHelper('urlencode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  // Criteria change only with a new badge version: render each text once.
  const rendered = new Map<string, string>();
  hbs.registerHelper('markdown', (text: unknown) => {
    const source = String(text ?? '');
    let html = rendered.get(source);
    if (html === undefined) {
      html = markdown.render(source);
      if (rendered.size > 1000) rendered.clear();
      rendered.set(source, html);
    }
    return new hbs.SafeString(html);
  });
  hbs.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) =>
    formatDate((options.data.root as { lang: Lang }).lang, value));
  const pages = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of files(dir)) {
    const name = path.relative(dir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
    const template = readFileSync(file, 'utf8');
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), template);
    else pages.set(name, hbs.compile(template, { strict: false }));
  }
  const layout = pages.get('layouts/main');
  if (!layout) throw new Error('views/layouts/main.hbs is missing');
  return {
    render(page, data) {
      const template = pages.get(page);
      if (!template) throw new Error(`no view ${page}`);
      return layout({ ...data, body: template(data) });
    },
  };
}
