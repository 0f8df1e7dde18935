/**
 * The app server of `npm run bench:tiles`, in its own process: builds the app from the
 * environment (loadConfig, as server/server.ts does) and listens on an ephemeral port, driven by
 * the bench over IPC (scripts/bench/tiles-ipc.ts; 'clear' empties the app's tile cache).
 */
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { serveBench } from './tiles-ipc.ts'

const config = loadConfig({ ...process.env, PORT: '0', RATE_LIMIT_MAX: '0' }) // the bench is one client at full speed
const app = await buildApp(config)
await serveBench(app, app.tiles.cache)
