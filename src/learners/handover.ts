// Handing badges over to a whole group at the end of an atelier: every card on one print page, every
// link mailed in one action, and who has picked up her badge. The cards and messages are the ones a
// facilitator gets person by person (claimLinkFor): the same link, code and PIN.
import type { Lang } from '../ob3/model.js';
import type { CredentialRecord } from '../store/index.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { findAtelier } from '../ateliers/ateliers.js';
import { atelierCredentials } from '../issuing/issuing.js';
import { claimLinkFor, type ClaimLinkCreated } from './claims.js';

export interface GroupFilter {
  /** Only the badges of one batch (from its page). */
  batchId?: string;
  /** Only people without an email address: the cards to print for them. */
  withoutEmail?: boolean;
}

/** The badges of the atelier that can still be handed over: not revoked, not erased. */
async function handedOver(ctx: Context, scope: Scope, atelierId: string, filter: GroupFilter): Promise<CredentialRecord[]> {
  const records = await atelierCredentials(ctx, scope, atelierId);
  return records.filter((r) => r.status !== 'revoked' && !r.erasedAt && (!filter.batchId || r.batchId === filter.batchId));
}

/** Every card of the group (a link in force for each: the current one, or a new one if it expired). */
export async function groupCards(ctx: Context, scope: Scope, atelierId: string, filter: GroupFilter = {}) {
  const atelier = await findAtelier(ctx, scope, atelierId);
  const cards: ClaimLinkCreated[] = [];
  for (const record of await handedOver(ctx, scope, atelier.id, filter)) {
    const card = await claimLinkFor(ctx, scope, record.id);
    if (!filter.withoutEmail || !card.email) cards.push(card);
  }
  return { atelier, cards };
}

export interface SentLink {
  name: string;
  email: string;
  /** The message as logged (sent, or written to the outbox); absent when the server refused it. */
  sent: boolean;
  error?: ClaimLinkCreated['mailError'];
}

/**
 * Mails each person with an email address her link, one after the other; a refusal for one is
 * reported and the others still go. Each message is in the outbox, as when sent one by one.
 */
export async function sendGroupLinks(ctx: Context, scope: Scope, atelierId: string, lang: Lang, filter: GroupFilter = {}) {
  const atelier = await findAtelier(ctx, scope, atelierId);
  const results: SentLink[] = [];
  let withoutEmail = 0;
  for (const record of await handedOver(ctx, scope, atelier.id, filter)) {
    const first = await claimLinkFor(ctx, scope, record.id);
    if (!first.email) {
      withoutEmail++;
      continue;
    }
    const { mail, mailError } = await claimLinkFor(ctx, scope, record.id, { sendIn: lang });
    results.push({ name: record.recipientName, email: first.email, sent: !!mail, ...(mailError ? { error: mailError } : {}) });
  }
  return { atelier, results, withoutEmail };
}

export type PickupState = 'revoked' | 'shared' | 'wallet' | 'opened' | 'waiting';

/** Where a badge stands for the facilitator: withdrawn, or how far the person went with it. */
export function pickupState(record: CredentialRecord): { state: PickupState; at: string | null } {
  if (record.status === 'revoked') return { state: 'revoked', at: record.statusChangedAt };
  if (record.sharedAt) return { state: 'shared', at: record.sharedAt };
  if (record.walletAt) return { state: 'wallet', at: record.walletAt };
  if (record.openedAt) return { state: 'opened', at: record.openedAt };
  return { state: 'waiting', at: null };
}
