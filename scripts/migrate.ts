/**
 * npm run db:migrate — brings the database named by the environment
 * (DATABASE_URL, or the embedded one in PHUSONG_DATA_DIR) to the latest
 * migration. Exits non-zero, with the reason, when anything fails.
 */
import { loadConfig } from '../server/config.ts'
import { openDatabase } from '../server/db/connect.ts'
import { migrateToLatest } from '../server/db/migrate.ts'

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const handle = await openDatabase(config.database)
  try {
    const report = await migrateToLatest(handle.db)
    console.log(
      report.applied.length > 0
        ? `Applied ${report.applied.join(', ')} on the ${handle.engine} engine; schema is at ${report.latest}.`
        : `Nothing to apply on the ${handle.engine} engine; schema is at ${report.latest}.`,
    )
  } finally {
    await handle.close()
  }
}

main().catch((err: unknown) => {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
