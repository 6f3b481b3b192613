// SVG baking (OB 3.0 §5.3.2): `xmlns:openbadges` on the root and one <openbadges:credential>
// right after its opening tag — a JWT in `verify="…"`, JSON in CDATA. Unbaking parses with
// fast-xml-parser with entity processing off, after refusing DTD internal subsets and entities.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Ob3Error } from '../errors.js';
import { MAX_CREDENTIAL_BYTES } from './png.js';

export const OB3_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const OB2_NAMESPACE = 'http://openbadges.org';
const JWT_TEXT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Refuses what could make an XML parser expand or fetch things: internal subsets and entities. */
function assertSafe(svg: string): void {
  if (/<!ENTITY/i.test(svg) || /<!DOCTYPE[^>[]*\[/i.test(svg)) throw new Ob3Error('SVG_DOCTYPE_FORBIDDEN');
}

function validate(svg: string): void {
  const result = XMLValidator.validate(svg, { allowBooleanAttributes: true });
  if (result !== true) throw new Ob3Error('SVG_MALFORMED', { detail: `${result.err.msg} (line ${result.err.line})` });
}

export function looksLikeSvg(text: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/i.test(text.replace(/^\uFEFF/, ''));
}

/** Offset of the `>` closing the tag whose attributes start at `from` (quotes may hold `>`). */
function tagEnd(svg: string, from: number): number {
  let quote = '';
  let i = from;
  for (; i < svg.length; i++) {
    const c = svg[i];
    if (quote) { if (c === quote) quote = ''; } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') break;
  }
  return i;
}

/** Finds the root <svg> opening tag: [start, end) offsets, its attribute text, and whether it self-closes. */
function rootTag(svg: string): { start: number; end: number; attrs: string; selfClosing: boolean } {
  const re = /<(\?[\s\S]*?\?>|!--[\s\S]*?-->|!DOCTYPE[^>]*>|svg(?=[\s>/]))/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) {
    if (m[1]!.toLowerCase() !== 'svg') continue;
    const start = m.index;
    const i = tagEnd(svg, start + 4);
    if (i >= svg.length) break;
    const selfClosing = svg[i - 1] === '/';
    return { start, end: i + 1, attrs: svg.slice(start + 4, selfClosing ? i - 1 : i), selfClosing };
  }
  throw new Ob3Error('SVG_MALFORMED', { detail: 'no <svg> root element' });
}

/** Prefixes bound to `namespace` by xmlns:prefix attributes in `attrs`. */
function prefixesFor(attrs: string, namespace: string): string[] {
  const out: string[] = [];
  for (const m of attrs.matchAll(/xmlns:([\w.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    if ((m[3] ?? m[4]) === namespace) out.push(m[1]!);
  }
  return out;
}

/** Removes every <prefix:name …>…</prefix:name> element, skipping over CDATA sections. */
function removeElements(svg: string, prefix: string, name: string): string {
  const open = `<${prefix}:${name}`;
  const close = `</${prefix}:${name}>`;
  let out = '';
  let from = 0;
  for (;;) {
    let at = svg.indexOf(open, from);
    while (at >= 0 && !/[\s>/]/.test(svg[at + open.length] ?? '')) at = svg.indexOf(open, at + 1);
    if (at < 0) return out + svg.slice(from);
    out += svg.slice(from, at);
    let i = tagEnd(svg, at + open.length);
    if (svg[i - 1] === '/') { from = i + 1; continue; }
    i += 1;
    for (;;) {
      const cdata = svg.indexOf('<![CDATA[', i);
      const end = svg.indexOf(close, i);
      if (end < 0) throw new Ob3Error('SVG_MALFORMED', { detail: `unclosed <${prefix}:${name}>` });
      if (cdata >= 0 && cdata < end) {
        const cdataEnd = svg.indexOf(']]>', cdata);
        if (cdataEnd < 0) throw new Ob3Error('SVG_MALFORMED', { detail: 'unclosed CDATA' });
        i = cdataEnd + 3;
        continue;
      }
      from = end + close.length;
      break;
    }
  }
}

/** Returns `svg` carrying `credential` (JSON text or compact JWS); replaces an existing one. */
export function bakeSvg(svg: string, credential: string): string {
  assertSafe(svg);
  validate(svg);
  const root = rootTag(svg);
  let attrs = root.attrs;
  let body = svg.slice(root.end);
  for (const prefix of [...prefixesFor(attrs, OB3_NAMESPACE), ...prefixesFor(attrs, OB2_NAMESPACE)]) {
    body = removeElements(body, prefix, 'credential');
    body = removeElements(body, prefix, 'assertion');
    attrs = attrs.replace(new RegExp(`\\s+xmlns:${prefix.replace(/\./g, '\\.')}\\s*=\\s*("[^"]*"|'[^']*')`), '');
  }
  const element = JWT_TEXT.test(credential)
    ? `<openbadges:credential verify="${credential}"></openbadges:credential>`
    : `<openbadges:credential><![CDATA[${credential.replace(/]]>/g, ']]]]><![CDATA[>')}]]></openbadges:credential>`;
  const open = `<svg${attrs.replace(/\s+$/, '')} xmlns:openbadges="${OB3_NAMESPACE}">`;
  const rest = root.selfClosing ? '</svg>' + body : body;
  return svg.slice(0, root.start) + open + element + rest;
}

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function decodeXmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()]!;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** The text of a baked element: its CDATA sections and text, entities decoded. */
function elementText(children: Node[]): string {
  let text = '';
  for (const child of children) {
    if ('#cdata' in child) text += ((child['#cdata'] as Node[]) ?? []).map((c) => String(c['#text'] ?? '')).join('');
    else if ('#text' in child) text += decodeXmlText(String(child['#text']));
  }
  if (text.length > MAX_CREDENTIAL_BYTES) throw new Ob3Error('PNG_ITXT_TOO_LARGE', { max: MAX_CREDENTIAL_BYTES });
  return text.trim();
}

export type SvgContent = { kind: 'ob3'; text: string } | { kind: 'ob2'; text: string };

/** Reads the credential baked in an SVG: the first OB 3.0 `credential` element of the document. */
export function unbakeSvg(svg: string): SvgContent {
  if (svg.length > 8 * MAX_CREDENTIAL_BYTES) {
    throw new Ob3Error('INPUT_TOO_LARGE', { size: svg.length, max: 8 * MAX_CREDENTIAL_BYTES });
  }
  assertSafe(svg);
  validate(svg);
  const root = rootTag(svg);
  const ob3 = prefixesFor(root.attrs, OB3_NAMESPACE);
  const ob2 = prefixesFor(root.attrs, OB2_NAMESPACE);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    preserveOrder: true,
    cdataPropName: '#cdata',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const tree = parser.parse(svg) as Node[];
  const wanted = new Set(ob3.map((p) => `${p}:credential`));
  const old = new Set(ob2.map((p) => `${p}:assertion`));
  let ob2Text: string | undefined;
  const stack: Node[] = [...tree].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    const tag = Object.keys(node).find((k) => k !== ':@');
    if (!tag) continue;
    if (wanted.has(tag)) {
      const verify = node[':@']?.verify;
      if (typeof verify === 'string' && verify.trim()) return { kind: 'ob3', text: verify.trim() };
      return { kind: 'ob3', text: elementText((node[tag] as Node[]) ?? []) };
    }
    if (old.has(tag) && ob2Text === undefined) {
      // OB 2.0: <openbadges:assertion verify="URL or JWS"/>, or the assertion JSON inside.
      const verify = node[':@']?.verify;
      ob2Text = typeof verify === 'string' && verify.trim() ? verify.trim() : elementText((node[tag] as Node[]) ?? []);
    }
    const children = node[tag];
    if (Array.isArray(children)) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node);
  }
  if (ob2Text !== undefined) return { kind: 'ob2', text: ob2Text };
  throw new Ob3Error('SVG_NO_CREDENTIAL');
}
