import fp from 'fastify-plugin'
import { loadSampleIfEmpty } from '../../services/sample-data.service.ts'

/** On an empty database, loads the bundled Sơn La sample (data/son-la) before the app serves. */
export default fp<{ sampleDir: string; enabled: boolean }>(async (app, opts) => {
  if (!opts.enabled) return
  const started = Date.now()
  const counts = await loadSampleIfEmpty(app.db, opts.sampleDir)
  for (const r of counts?.repaired ?? []) app.log.warn(`sample boundary repaired with ST_MakeValid: ${r}`)
  if (counts) app.log.info({ ...counts, ms: Date.now() - started }, 'loaded the bundled sample (villages, sites, fibre and power lines are synthetic)')
}, { name: 'sample-data', dependencies: ['database'] })
