import type { LineStatus } from '../../db/database.ts'

export const LINE_STATUS_WORDS: Record<LineStatus, readonly string[]> = {
  existing: ['hien huu', 'dang van hanh', 'hoat dong', 'active', 'in service', 'built'],
  planned: ['quy hoach', 'ke hoach', 'du kien', 'plan', 'proposed'],
  decommissioned: ['ngung', 'ngung van hanh', 'thao do', 'removed', 'abandoned'],
}
