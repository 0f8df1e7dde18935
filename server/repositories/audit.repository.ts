import type { AuditLogTable, Executor } from '../db/database.ts'

export interface AuditEntry {
  actor: string
  action: AuditLogTable['action']
  entity: string
  entityId: string | null
  details: Record<string, unknown>
}

/** Appends one entry to the audit log; call it in the same transaction as the change. */
export async function insertAuditEntry(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, entity: entry.entity, entity_id: entry.entityId, details: JSON.stringify(entry.details) })
    .execute()
}
