// End-to-end: the built map page, served by the real app on a fresh embedded
// database (with the Sơn La sample), opened in headless Chromium.
//
// Screenshots go to test-results/ (map-vi.png, map-en.png, map-mobile.png,
// map-mobile-panel.png); look at them when the page changes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { BACKGROUND, COMMUNE_FILL } from '../../web/src/layers.ts'

const CHROMIUM = '/usr/bin/chromium'
// Software WebGL (SwiftShader) for MapLibre on machines without a GPU.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--enable-unsafe-swiftshader',
]

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const webDir = path.join(repoRoot, 'web')
const viteConfig = path.join(repoRoot, 'vite.config.ts')
const builtIndex = path.join(repoRoot, 'dist/web/index.html')
const resultsDir = path.join(repoRoot, 'test-results')

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 360, height: 740 }

type App = Awaited<ReturnType<typeof buildApp>>

let app: App | undefined
let browser: Browser | undefined
/** Why the shared setup failed; every test rethrows it so the suite fails rather than skips. */
let setupError: unknown
let dataDir: string | undefined
let baseUrl = ''

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

/** Builds web/ unless dist/web/index.html is newer than every file in web/ and the Vite config. */
async function buildWebIfStale(): Promise<void> {
  const sourcesChanged = Math.max(newestMtime(webDir), statSync(viteConfig).mtimeMs)
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs > sourcesChanged) return
  await build({ configFile: viteConfig, mode: 'production', logLevel: 'warn' })
}

interface OpenedPage {
  context: BrowserContext
  page: Page
  /** console.error messages and uncaught exceptions. */
  consoleErrors: string[]
  /** Requests to any host other than 127.0.0.1. */
  foreignRequests: string[]
}

async function openPage(
  viewport: { width: number; height: number },
  search = '',
  options: { mobile?: boolean; prepare?: (context: BrowserContext) => Promise<unknown> } = {},
): Promise<OpenedPage> {
  if (setupError) throw setupError
  if (!browser) throw new Error('browser not started')
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
  })
  await options.prepare?.(context)
  const page = await context.newPage()
  const opened: OpenedPage = { context, page, consoleErrors: [], foreignRequests: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => opened.consoleErrors.push(`uncaught: ${error.message}`))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '127.0.0.1') {
      opened.foreignRequests.push(request.url())
    }
  })
  await page.goto(`${baseUrl}/${search}`)
  return opened
}

/** Opens the page and waits until every layer is loaded and drawn. */
async function openMap(
  viewport: { width: number; height: number },
  search = '',
  options: { mobile?: boolean } = {},
): Promise<OpenedPage> {
  const opened = await openPage(viewport, search, options)
  const { page } = opened
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 60_000 })
  const state = await page.getAttribute('body', 'data-state')
  if (state !== 'ready') {
    const banner = await page.textContent('[data-testid="error-banner"]')
    throw new Error(`page ended in state "${state}": ${banner?.replace(/\s+/g, ' ').trim()}; console: ${opened.consoleErrors.join(' | ')}`)
  }
  return opened
}

function expectCleanRun(opened: OpenedPage): void {
  expect(opened.consoleErrors, 'console errors').toEqual([])
  expect(opened.foreignRequests, 'requests to hosts other than 127.0.0.1').toEqual([])
}

async function countValue(page: Page, testid: string): Promise<number> {
  const value = await page.getAttribute(`[data-testid="${testid}"]`, 'data-value')
  if (value === null) throw new Error(`${testid} has no data-value`)
  return Number(value)
}

/** What the page's test hook (`window.__phusong`, web/src/main.ts) returns. */
interface RenderedPoint {
  id: string | number | undefined
  name: string
  code: string
  x: number
  y: number
}

async function renderedPoints(page: Page, layerId: string): Promise<RenderedPoint[]> {
  return page.evaluate((id) => window.__phusong?.renderedPoints(id) ?? [], layerId)
}

/** The part of the map not covered by the panel, the scale bar or the zoom buttons. */
async function openMapArea(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const map = await page.locator('#map').boundingBox()
  if (!map) throw new Error('#map has no box')
  const panelVisible = await page.locator('#panel').isVisible()
  const panel = panelVisible ? await page.locator('#panel').boundingBox() : null
  const left = panel && panel.width < map.width / 2 ? panel.x + panel.width + 10 : map.x + 10
  return { x: left, y: map.y + 10, width: map.x + map.width - 60 - left, height: map.height - 60 }
}

function isolated<T extends { x: number; y: number }>(point: T, others: T[], minDistance: number): boolean {
  return others.every((o) => o === point || Math.hypot(o.x - point.x, o.y - point.y) >= minDistance)
}

function inside(point: { x: number; y: number }, area: { x: number; y: number; width: number; height: number }): boolean {
  return point.x > area.x && point.x < area.x + area.width && point.y > area.y && point.y < area.y + area.height
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Decodes a PNG in a blank page and measures its colours. */
async function colourStats(png: Buffer, colours: Record<string, string>): Promise<{ distinct: number; share: Record<string, number> }> {
  if (!browser) throw new Error('browser not started')
  const page = await browser.newPage()
  try {
    const targets = Object.entries(colours).map(([name, hex]) => [name, ...hexToRgb(hex)] as const)
    return await page.evaluate(
      async ({ base64, targets }) => {
        const img = new Image()
        img.src = `data:image/png;base64,${base64}`
        await img.decode()
        const canvas = document.createElement('canvas')
        canvas.width = img.width
        canvas.height = img.height
        const ctx = canvas.getContext('2d')
        if (!ctx) throw new Error('no 2d context')
        ctx.drawImage(img, 0, 0)
        const data = ctx.getImageData(0, 0, img.width, img.height).data
        const distinct = new Set<number>()
        const hits = targets.map(() => 0)
        for (let i = 0; i < data.length; i += 4) {
          const r = data[i] ?? 0
          const g = data[i + 1] ?? 0
          const b = data[i + 2] ?? 0
          distinct.add((r << 16) | (g << 8) | b)
          for (let k = 0; k < targets.length; k++) {
            const target = targets[k]
            if (target && Math.abs(r - target[1]) + Math.abs(g - target[2]) + Math.abs(b - target[3]) <= 6) hits[k] = (hits[k] ?? 0) + 1
          }
        }
        const pixels = data.length / 4
        const share: Record<string, number> = {}
        targets.forEach((target, k) => (share[target[0]] = (hits[k] ?? 0) / pixels))
        return { distinct: distinct.size, share }
      },
      { base64: png.toString('base64'), targets },
    )
  } finally {
    await page.close()
  }
}

beforeAll(async () => {
  try {
    await setUp()
  } catch (error) {
    setupError = error
  }
})

async function setUp(): Promise<void> {
  // Fail, not skip: without a browser this suite proves nothing.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the end-to-end tests`)
  }
  mkdirSync(resultsDir, { recursive: true })
  await buildWebIfStale()

  dataDir = mkdtempSync(path.join(tmpdir(), 'phusong-e2e-'))
  const config = loadConfig({ PHUSONG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  app = await buildApp(config) // migrates and loads the Sơn La sample on the empty database
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${address.port}`

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

afterAll(async () => {
  await browser?.close()
  await app?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('map page', () => {
  it('loads every layer of the Sơn La sample and shows the counts', async () => {
    const opened = await openMap(DESKTOP)
    const { page } = opened
    try {
      expect(await page.getAttribute('html', 'lang')).toBe('vi')
      expect(await countValue(page, 'count-communes')).toBe(75)
      expect(await countValue(page, 'count-villages')).toBeGreaterThan(1000)
      expect(await countValue(page, 'count-sites')).toBeGreaterThan(100)
      // The page is public: every fibre route of the sample is owned by an operator, so none is shown.
      expect(await countValue(page, 'count-fibre-km')).toBe(0)
      // The numbers are shown, formatted the Vietnamese way (1.234).
      const villagesText = (await page.textContent('[data-testid="count-villages"]')) ?? ''
      expect(Number(villagesText.replace(/\D/g, ''))).toBe(await countValue(page, 'count-villages'))
      expect(await page.locator('[data-testid="synthetic-notice"]').isVisible()).toBe(true)
      expect(await page.textContent('[data-testid="synthetic-notice"]')).toContain('Dữ liệu mô phỏng')
      const attribution = (await page.textContent('[data-testid="attribution"]')) ?? ''
      expect(attribution).toContain('gis.vn')
      expect(attribution).toContain('NASA SRTM')
      expect(await page.textContent('[data-testid="server-status"]')).toMatch(/PostGIS/)
      await page.screenshot({ path: path.join(resultsDir, 'map-vi.png') })
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('draws the communes and the network on the map canvas (WebGL)', async () => {
    const opened = await openMap(DESKTOP)
    const { page } = opened
    try {
      const png = await page.screenshot({ clip: await openMapArea(page) })
      const stats = await colourStats(png, { background: BACKGROUND, communeFill: COMMUNE_FILL })
      const drawn = 1 - (stats.share.background ?? 0)
      expect(drawn, `share of non-background pixels (${JSON.stringify(stats)})`).toBeGreaterThan(0.2)
      expect(stats.share.communeFill, 'share of commune fill pixels').toBeGreaterThan(0.1)
      expect(stats.distinct, 'distinct colours').toBeGreaterThan(50)
      expect((await renderedPoints(page, 'sites')).length).toBeGreaterThan(100)
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('switches to English and remembers the choice', async () => {
    const opened = await openMap(DESKTOP)
    const { page } = opened
    try {
      expect(await page.textContent('[data-testid="label-villages"]')).toBe('Bản/thôn')
      await page.click('[data-testid="lang-en"]')
      expect(await page.textContent('[data-testid="label-villages"]')).toBe('Villages')
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.getAttribute('[data-testid="lang-en"]', 'aria-pressed')).toBe('true')
      expect(await page.textContent('[data-testid="synthetic-notice"]')).toContain('Synthetic sample data')
      await page.screenshot({ path: path.join(resultsDir, 'map-en.png') })

      await page.reload()
      await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 })
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.textContent('[data-testid="label-sites"]')).toBe('BTS sites')
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('honours ?lang=en', async () => {
    const opened = await openMap(DESKTOP, '?lang=en')
    const { page } = opened
    try {
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.textContent('[data-testid="label-communes"]')).toBe('Communes/wards')
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('opens a popup naming the clicked site', async () => {
    const opened = await openMap(DESKTOP)
    const { page } = opened
    try {
      const area = await openMapArea(page)
      const sites = await renderedPoints(page, 'sites')
      const site = sites.find((s) => inside(s, area) && isolated(s, sites, 6))
      expect(site, 'a site drawn clear of the panel and of other sites').toBeDefined()
      if (!site) return
      await page.mouse.click(site.x, site.y)
      const title = await page.waitForSelector('[data-testid="popup-title"]', { timeout: 10_000 })
      expect(await title.textContent()).toBe(site.name || site.code)
      const popup = (await page.textContent('[data-testid="popup"]')) ?? ''
      expect(popup).toContain('Trạm BTS')
      expect(popup).toContain(site.code)
      expect(popup).toContain('Sector')
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('opens a popup naming the clicked village', async () => {
    const opened = await openMap(DESKTOP)
    const { page } = opened
    try {
      const area = await openMapArea(page)
      const sites = await renderedPoints(page, 'sites')
      const villages = await renderedPoints(page, 'villages')
      // Sites win clicks, so pick a village with no site within the click tolerance.
      const village = villages.find(
        (v) => inside(v, area) && isolated(v, villages, 6) && sites.every((s) => Math.hypot(s.x - v.x, s.y - v.y) > 20),
      )
      expect(village, 'a village drawn clear of the panel, of sites and of other villages').toBeDefined()
      if (!village) return
      await page.mouse.click(village.x, village.y)
      const title = await page.waitForSelector('[data-testid="popup-title"]', { timeout: 10_000 })
      expect(await title.textContent()).toBe(village.name)
      const popup = (await page.textContent('[data-testid="popup"]')) ?? ''
      expect(popup).toContain('Bản/thôn')
      expect(popup).toContain('Mô phỏng')
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('fits a 360 px wide phone screen', async () => {
    const opened = await openMap(PHONE, '', { mobile: true })
    const { page } = opened
    try {
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      // The panel starts closed; the bar's controls and the synthetic-data flag are visible and apart.
      expect(await page.locator('#panel').isVisible()).toBe(false)
      const boxes = []
      for (const selector of ['.brand', '[data-testid="synthetic-notice"]', '.lang-switch', '[data-testid="panel-toggle"]']) {
        const box = await page.locator(selector).boundingBox()
        expect(box, selector).not.toBeNull()
        if (!box) return
        expect(box.x, `${selector} left edge`).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width, `${selector} right edge`).toBeLessThanOrEqual(PHONE.width)
        boxes.push({ selector, ...box })
      }
      for (const a of boxes) {
        for (const b of boxes) {
          if (a === b) continue
          const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
          expect(overlap, `${a.selector} overlaps ${b.selector}`).toBe(false)
        }
      }
      expect((await renderedPoints(page, 'villages')).length).toBeGreaterThan(100)
      await page.screenshot({ path: path.join(resultsDir, 'map-mobile.png') })

      await page.click('[data-testid="panel-toggle"]')
      expect(await page.locator('#panel').isVisible()).toBe(true)
      const panel = await page.locator('#panel').boundingBox()
      expect(panel && panel.x >= 0 && panel.x + panel.width <= PHONE.width).toBe(true)
      await page.screenshot({ path: path.join(resultsDir, 'map-mobile-panel.png') })
      expectCleanRun(opened)
    } finally {
      await opened.context.close()
    }
  })

  it('shows an error banner when the API fails', async () => {
    // One layer fails as a broken connection would.
    const opened = await openPage(DESKTOP, '?lang=en', {
      prepare: (context) => context.route('**/api/sites?*', (route) => route.abort('connectionfailed')),
    })
    const { page, context } = opened
    try {
      await page.waitForSelector('body[data-state="error"]', { timeout: 60_000 })
      expect(await page.locator('[data-testid="error-banner"]').isVisible()).toBe(true)
      expect(await page.textContent('[data-testid="error-banner"]')).toContain('The map data could not be loaded.')
      expect(opened.foreignRequests).toEqual([])
    } finally {
      await context.close()
    }
  })
})
