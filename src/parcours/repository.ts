// Parcours: a collective's ateliers in order. Kept in SQL once for SQLite and PostgreSQL; the store
// composes every feature's part.
import type { Store } from '../store/index.js';
import type { Row, SqlDriver } from '../store/sql/driver.js';

export interface Parcours { id: string; collectiveId: string; name: string; atelierIds: string[]; createdAt: string }

export interface ParcoursRepository {
  create(parcours: Parcours): Promise<void>;
  byId(collectiveId: string, id: string): Promise<Parcours | undefined>;
  list(collectiveId: string): Promise<Parcours[]>;
}

const parcours = (r: Row): Parcours => ({
  id: r.id as string, collectiveId: r.collective_id as string, name: r.name as string,
  atelierIds: JSON.parse(r.atelier_ids as string) as string[], createdAt: r.created_at as string,
});

export function parcoursSql(db: SqlDriver): Pick<Store, 'parcours'> {
  return {
    parcours: {
      async create(p) {
        await db.run('INSERT INTO parcours (id, collective_id, name, atelier_ids, created_at) VALUES (?, ?, ?, ?, ?)', [p.id, p.collectiveId, p.name, JSON.stringify(p.atelierIds), p.createdAt]);
      },
      async byId(collectiveId, id) { const r = await db.get('SELECT * FROM parcours WHERE id = ? AND collective_id = ?', [id, collectiveId]); return r && parcours(r); },
      async list(collectiveId) { return (await db.all('SELECT * FROM parcours WHERE collective_id = ? ORDER BY created_at', [collectiveId])).map(parcours); },
    },
  };
}
