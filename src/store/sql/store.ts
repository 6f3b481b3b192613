// The store in SQL, once for both databases: SQLite embedded, PostgreSQL for several app instances
// on one database. Everything that must be shared between instances (sessions, rate limits,
// status-list indexes, batch progress) is in the database, not in a process's memory. Each feature
// keeps its own repositories and SQL (<feature>/repository.ts); this composes them.
import type { Store } from '../index.js';
import type { SqlDriver } from './driver.js';
import { MIGRATIONS } from './migrations.js';
import { accountsSql } from '../../accounts/repository.js';
import { collectivesSql } from '../../collectives/repository.js';
import { badgeClassesSql } from '../../badge-classes/repository.js';
import { ateliersSql } from '../../ateliers/repository.js';
import { credentialsSql } from '../../credentials/repository.js';
import { issuingSql, presentedSql } from '../../issuing/repository.js';
import { learnersSql } from '../../learners/repository.js';
import { walletsSql } from '../../wallets/repository.js';
import { operationsSql } from '../../operations/repository.js';
import { endorsementsSql } from '../../endorsements/repository.js';
import { requestsSql } from '../../requests/repository.js';
import { reportsSql } from '../../reports/repository.js';
import { parcoursSql } from '../../parcours/repository.js';

export async function createSqlStore(db: SqlDriver): Promise<Store> {
  await db.migrate(MIGRATIONS);
  return {
    kind: db.dialect,
    ...accountsSql(db), ...collectivesSql(db), ...badgeClassesSql(db), ...ateliersSql(db), ...credentialsSql(db),
    ...issuingSql(db), ...learnersSql(db), ...walletsSql(db), ...operationsSql(db), ...endorsementsSql(db), ...requestsSql(db), ...reportsSql(db), ...parcoursSql(db), ...presentedSql(db),
    snapshot: (file) => db.snapshot(file),
    close: () => db.close(),
  };
}
