/** Who is writing: recorded in the audit log with every change. */
export interface WriteContext {
  actor: string
}
