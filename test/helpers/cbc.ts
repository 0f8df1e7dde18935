/**
 * The exact optimum of an optimiser instance from CBC (COIN-OR branch and cut; Debian package
 * `coinor-cbc`, /usr/bin/cbc), for the quality tests and the benchmark. Writes the maximal
 * covering ILP in CPLEX LP format:
 *
 *   maximize   Σ_i w_i y_i
 *   subject to y_i − Σ_{j covers i} x_j ≤ 0        for every unserved village i some site covers
 *              Σ_j x_j ≤ K    (count budget)   or   Σ_j c_j x_j ≤ B    (cost budget)
 *              x_j ∈ {0, 1},  0 ≤ y_i ≤ 1
 *
 * over the feasible candidates only (villages served by existing sites are already out of the
 * coverage sets). y may stay continuous: for integral x the optimal y_i is 1 exactly when some
 * chosen site covers i, so the optimum is the same as with binary y, with less branching.
 * Throws when cbc is missing: the quality tests must fail, not skip, without their reference.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { coverOf, coveredWeight, type OptimiserInstance } from '../../server/planning/optimiser/instance.ts'

export const CBC_PATH = '/usr/bin/cbc'

export interface CbcOptions {
  /** Count budget. */
  k?: number
  /** Cost budget (instance.cost). */
  budget?: number
  /** CBC's time limit, seconds (default 600). */
  timeLimitSec?: number
  /** Executable (default /usr/bin/cbc). */
  cbcPath?: string
}

export interface CbcResult {
  /** 'time-limit': the objective is CBC's best solution so far, not a proven optimum. */
  status: 'optimal' | 'time-limit' | 'infeasible' | 'other'
  /** Chosen candidate indices (x_j > 0.5), ascending. */
  chosen: number[]
  /** Covered weight of `chosen`, recomputed from the instance (not CBC's float). */
  objective: number
  /** The objective CBC printed. */
  cbcObjective: number
  /** CBC's best bound on the optimum when it printed one (meaningful with 'time-limit'). */
  bound: number | null
  /** Wall time of the cbc process (reading the LP file included; writing it excluded), ms. */
  wallMs: number
  /** Wall time of writing the LP file, ms. */
  writeMs: number
  lpBytes: number
}

/** The LP text of the maximal covering ILP (see the module comment). */
export function coverageLp(instance: OptimiserInstance, opts: { k?: number; budget?: number }): string {
  if ((opts.k === undefined) === (opts.budget === undefined)) throw new Error('coverageLp: give exactly one of k and budget')
  const lines: string[] = ['\\ maximal covering location, written by test/helpers/cbc.ts', 'Maximize']
  const useful: number[] = []
  for (let j = 0; j < instance.candidateCount; j++) if (instance.feasible[j] && coverOf(instance, j).length > 0) useful.push(j)
  const objective: string[] = []
  const rows: string[] = []
  const yVars: number[] = []
  for (let i = 0; i < instance.villageCount; i++) {
    const w = instance.weight[i]!
    const from = instance.villageStart[i]!
    const to = instance.villageStart[i + 1]!
    if (instance.served[i] || w <= 0 || from === to) continue
    yVars.push(i)
    objective.push(`${w} y${i}`)
    const terms = [`y${i}`]
    for (let p = from; p < to; p++) terms.push(`- x${instance.villageCandidates[p]!}`)
    rows.push(` v${i}: ${wrap(terms)} <= 0`)
  }
  if (objective.length === 0 || useful.length === 0) return ''
  lines.push(` obj: ${wrap(objective.map((t, n) => (n === 0 ? t : `+ ${t}`)))}`)
  lines.push('Subject To', ...rows)
  if (opts.k !== undefined) lines.push(` count: ${wrap(useful.map((j, n) => (n === 0 ? `x${j}` : `+ x${j}`)))} <= ${opts.k}`)
  else lines.push(` cost: ${wrap(useful.map((j, n) => `${n === 0 ? '' : '+ '}${instance.cost[j]} x${j}`))} <= ${opts.budget}`)
  lines.push('Bounds', ...yVars.map((i) => ` 0 <= y${i} <= 1`))
  lines.push('Binaries')
  for (let s = 0; s < useful.length; s += 20) lines.push(` ${useful.slice(s, s + 20).map((j) => `x${j}`).join(' ')}`)
  lines.push('End', '')
  return lines.join('\n')
}

/** Terms on continuation lines of at most 20 terms (LP readers limit line length). */
function wrap(terms: string[]): string {
  const out: string[] = []
  for (let s = 0; s < terms.length; s += 20) out.push(terms.slice(s, s + 20).join(' '))
  return out.join('\n  ')
}

/** Solves the instance's maximal covering ILP with CBC. */
export async function solveWithCbc(instance: OptimiserInstance, opts: CbcOptions): Promise<CbcResult> {
  const cbc = opts.cbcPath ?? CBC_PATH
  if (!existsSync(cbc)) throw new Error(`CBC not found at ${cbc}: install it (Debian: apt-get install coinor-cbc); the optimiser quality checks need it`)
  const t0 = performance.now()
  const lp = coverageLp(instance, opts)
  const writeMs0 = performance.now() - t0
  if (lp === '') return { status: 'optimal', chosen: [], objective: 0, cbcObjective: 0, bound: 0, wallMs: 0, writeMs: writeMs0, lpBytes: 0 }
  const dir = mkdtempSync(path.join(tmpdir(), 'phusong-cbc-'))
  try {
    const lpFile = path.join(dir, 'model.lp')
    const solFile = path.join(dir, 'solution.txt')
    writeFileSync(lpFile, lp)
    const writeMs = performance.now() - t0
    const args = [lpFile, 'sec', String(opts.timeLimitSec ?? 600), 'ratioGap', '0', 'solve', 'solution', solFile]
    const t1 = performance.now()
    const { code, stdout, stderr } = await run(cbc, args)
    const wallMs = performance.now() - t1
    if (code !== 0 || !existsSync(solFile)) throw new Error(`cbc exited with ${code}:\n${stderr}\n${stdout.slice(-3000)}`)
    const sol = readFileSync(solFile, 'utf8').split('\n')
    const head = sol[0] ?? ''
    const status: CbcResult['status'] = /^Optimal/.test(head)
      ? 'optimal'
      : /^Stopped on time/.test(head)
        ? 'time-limit'
        : /infeasible/i.test(head)
          ? 'infeasible'
          : 'other'
    const cbcObjective = Number(/objective value\s+(\S+)/.exec(head)?.[1] ?? NaN)
    const chosen: number[] = []
    for (const line of sol.slice(1)) {
      const m = /^\s*\d+\s+x(\d+)\s+(\S+)/.exec(line)
      if (m && Number(m[2]) > 0.5) chosen.push(Number(m[1]))
    }
    chosen.sort((a, b) => a - b)
    // CBC minimises −objective internally; its "Lower bound" line is that problem's bound.
    const lower = /Lower bound:\s+(\S+)/.exec(stdout)?.[1]
    const bound = status === 'optimal' ? cbcObjective : lower !== undefined ? Math.abs(Number(lower)) : null
    return { status, chosen, objective: coveredWeight(instance, chosen), cbcObjective, bound, wallMs, writeMs, lpBytes: Buffer.byteLength(lp) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      if (stdout.length > 4_000_000) stdout = stdout.slice(-1_000_000)
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
