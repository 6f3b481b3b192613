// OB 3.0 strings may be plain or language maps ({"fr": "…", "en": "…"}): pick one to show.
import type { Lang } from './model.js';

/** The text in `lang`, else the first language given, else ''. */
export function localize(value: unknown, lang: Lang): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const map = value as Record<string, string>;
    return map[lang] ?? Object.values(map)[0] ?? '';
  }
  return '';
}
