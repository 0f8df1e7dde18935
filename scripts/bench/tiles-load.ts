/**
 * The load generator of `npm run bench:tiles`, in its own process (so it does not share an
 * event loop with the server): autocannon against one base URL, cycling through a list of
 * request paths; each connection starts at its own offset in the list, so the connections do
 * not ask for the same tile at the same moment. Receives { url, paths, connections, duration }
 * over IPC, sends back one result: autocannon's figures plus exact latency percentiles from
 * every 2xx response time (autocannon's own histogram keeps whole milliseconds).
 */
import autocannon from 'autocannon'

interface Job { url: string; paths: string[]; connections: number; duration: number }

process.once('message', (job: Job) => {
  void run(job).then((r) => { process.send?.(r, () => process.exit(0)) }, (err: unknown) => {
    process.send?.({ error: err instanceof Error ? err.message : String(err) }, () => process.exit(1))
  })
})

async function run(job: Job) {
  const { paths, connections } = job
  let next = 0
  const times: number[] = []
  const cpu0 = process.cpuUsage()
  const instance = autocannon({
    url: job.url,
    connections,
    duration: job.duration,
    timeout: 60, // seconds; cold requests queue behind the app's 10 database connections, autocannon's default 10 s would drop them
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
    setupClient: (client) => {
      const offset = Math.floor((next++ * paths.length) / connections) % paths.length
      client.setRequests([...paths.slice(offset), ...paths.slice(0, offset)].map((p) => ({ method: 'GET' as const, path: p })))
    },
  }) as unknown as autocannon.Instance & Promise<autocannon.Result> // with no callback: the instance, also a promise of the result
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) times.push(ms)
  })
  const result = await instance
  const cpu = process.cpuUsage(cpu0)
  times.sort((a, b) => a - b)
  const pct = (p: number) => (times.length === 0 ? null : times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!)
  return {
    durationS: result.duration,
    ok: times.length,
    rps: times.length / result.duration,
    p50: pct(50), p90: pct(90), p99: pct(99), max: times.at(-1) ?? null,
    mean: times.length === 0 ? null : times.reduce((a, b) => a + b, 0) / times.length,
    autocannon: { rpsAverage: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 },
    non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number((v as { count: number | string }).count)])),
    bytesPerS: result.throughput.average,
    cpuMs: (cpu.user + cpu.system) / 1000,
  }
}
