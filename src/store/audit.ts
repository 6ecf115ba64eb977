import type { Tx } from './types.ts';

export interface AuditEntry {
  businessId: string | null;
  actor: { type: 'member' | 'debtor' | 'system'; id?: string | null };
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
  /** When it happened: the clock's instant (never the database's). */
  now: Date;
}

/** Every change leaves one row: who, what, on which entity, with the details. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      businessId: entry.businessId,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      data: (entry.data ?? {}) as object,
      createdAt: entry.now,
    },
  });
}
