import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'

/** Starts the process: config from the environment, the app, listen, graceful close. */
async function main(): Promise<void> {
  const started = Date.now()
  const config = loadConfig(process.env)
  const app = await buildApp(config)
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  const address = await app.listen({ port: config.port, host: config.host })
  app.log.info({ engine: app.database.engine, startupMs: Date.now() - started }, `phusong listening on ${address}`)
}

main().catch((err: unknown) => {
  // Start-up failures (bad config, no PostGIS, migration failure) end the process with a readable message.
  console.error(`phusong could not start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
