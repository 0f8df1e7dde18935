// The panel, top bar and error banner: everything on the page that is not the map.
import type { Health } from './api.ts'
import { formatNumber, getLanguage, t, translateDom } from './i18n.ts'
import type { Lang, MessageKey } from './i18n.ts'
import {
  BACKGROUND,
  COMMUNE_FILL,
  COMMUNE_OUTLINE,
  DECOMMISSIONED_COLOUR,
  OPERATOR_COLOURS,
  POWER_LINE_COLOUR,
  VILLAGE_COLOURS,
} from './layers.ts'
import type { LayerGroup } from './layers.ts'

/** Counts shown next to the layer toggles; `null` while a layer is loading. */
export interface Counts {
  communes: number | null
  villages: number | null
  sites: number | null
  fibreKm: number | null
  powerLinesKm: number | null
}

const COUNT_ELEMENTS: Record<keyof Counts, { testid: string; km: boolean }> = {
  communes: { testid: 'count-communes', km: false },
  villages: { testid: 'count-villages', km: false },
  sites: { testid: 'count-sites', km: false },
  fibreKm: { testid: 'count-fibre-km', km: true },
  powerLinesKm: { testid: 'count-power-lines-km', km: true },
}

/** Viewports narrower than this get the panel closed at start. */
const NARROW_MEDIA = '(max-width: 640px)'

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`[data-testid="${id}"]`)
  if (!el) throw new Error(`missing element [data-testid="${id}"]`)
  return el
}

/** Copies the map colours into CSS custom properties used by the legend. */
export function applyLegendColours(): void {
  const vars: Record<string, string> = {
    '--map-bg': BACKGROUND,
    '--commune-fill': COMMUNE_FILL,
    '--commune-outline': COMMUNE_OUTLINE,
    '--op-viettel': OPERATOR_COLOURS.viettel,
    '--op-vnpt': OPERATOR_COLOURS.vnpt,
    '--op-mobifone': OPERATOR_COLOURS.mobifone,
    '--power-line': POWER_LINE_COLOUR,
    '--decommissioned': DECOMMISSIONED_COLOUR,
  }
  VILLAGE_COLOURS.forEach((colour, i) => (vars[`--village-${i}`] = colour))
  for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value)
}

export class Panel {
  private counts: Counts = { communes: null, villages: null, sites: null, fibreKm: null, powerLinesKm: null }
  private health: Health | null = null
  private errorCode: string | null = null
  private readonly panel = document.getElementById('panel') as HTMLElement
  private readonly toggle = byTestId<HTMLButtonElement>('panel-toggle')
  private readonly banner = byTestId('error-banner')

  constructor(handlers: {
    onLanguage: (lang: Lang) => void
    onLayerToggle: (group: LayerGroup, visible: boolean) => void
    onRetry: () => void
  }) {
    for (const button of document.querySelectorAll<HTMLButtonElement>('.lang-switch button')) {
      button.addEventListener('click', () => handlers.onLanguage(button.dataset.lang as Lang))
    }
    for (const input of document.querySelectorAll<HTMLInputElement>('input[data-layer]')) {
      input.addEventListener('change', () => handlers.onLayerToggle(input.dataset.layer as LayerGroup, input.checked))
    }
    this.toggle.addEventListener('click', () => {
      const open = this.panel.hidden !== false
      this.setOpen(open)
      if (open) this.panel.focus({ preventScroll: true })
    })
    this.banner.querySelector('.retry')?.addEventListener('click', handlers.onRetry)
    this.setOpen(!matchMedia(NARROW_MEDIA).matches)
  }

  /** True when the panel covers the left of the map (wide screens, panel open). */
  get coversMapLeft(): boolean {
    return !this.panel.hidden && !matchMedia(NARROW_MEDIA).matches
  }

  get width(): number {
    return this.panel.getBoundingClientRect().width
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open
    this.toggle.setAttribute('aria-expanded', String(open))
    this.toggle.setAttribute('aria-label', t(open ? 'panelToggleHide' : 'panelToggleShow'))
    this.toggle.title = this.toggle.getAttribute('aria-label') ?? ''
  }

  layerVisibility(): Record<LayerGroup, boolean> {
    const result = {} as Record<LayerGroup, boolean>
    for (const input of document.querySelectorAll<HTMLInputElement>('input[data-layer]')) {
      result[input.dataset.layer as LayerGroup] = input.checked
    }
    return result
  }

  setCounts(update: Partial<Counts>): void {
    this.counts = { ...this.counts, ...update }
    this.renderCounts()
  }

  setHealth(health: Health | null): void {
    this.health = health
    this.renderHealth()
  }

  /** Shows the error banner; `code` is a short technical hint (path and status). */
  showError(code: string, detail: MessageKey = 'errorDetail'): void {
    this.errorCode = code
    const detailEl = this.banner.querySelector<HTMLElement>('[data-testid="error-detail"]')
    if (detailEl) detailEl.dataset.i18n = detail
    this.banner.hidden = false
    translateDom(this.banner)
    this.renderError()
  }

  hideError(): void {
    this.errorCode = null
    this.banner.hidden = true
  }

  /** Re-renders every text after a language switch. */
  render(): void {
    translateDom()
    const lang = getLanguage()
    for (const button of document.querySelectorAll<HTMLButtonElement>('.lang-switch button')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang))
    }
    document.title = t('appTitle')
    this.setOpen(!this.panel.hidden)
    this.renderCounts()
    this.renderHealth()
    this.renderError()
  }

  private renderCounts(): void {
    for (const [key, { testid, km }] of Object.entries(COUNT_ELEMENTS) as [keyof Counts, { testid: string; km: boolean }][]) {
      const el = byTestId(testid)
      const value = this.counts[key]
      if (value === null) {
        el.textContent = '…'
        delete el.dataset.value
        continue
      }
      el.dataset.value = String(km ? Math.round(value * 10) / 10 : value)
      el.textContent = km ? `${formatNumber(value, value < 100 ? 1 : 0)} ${t('unitKm')}` : formatNumber(value)
    }
  }

  private renderHealth(): void {
    const el = byTestId('server-status')
    const health = this.health
    if (!health) {
      el.textContent = t('statusLoading')
      el.className = ''
      return
    }
    const ok = health.status === 'ok'
    const parts = [t(ok ? 'statusOk' : 'statusUnavailable')]
    if (health.engine) parts.push(t(health.engine === 'server' ? 'engineServer' : 'engineEmbedded'))
    if (health.postgis) parts.push(`PostGIS ${health.postgis}`)
    el.textContent = parts.join(' · ')
    el.className = ok ? 'state-ok' : 'state-down'
    el.dataset.engine = health.engine ?? ''
  }

  private renderError(): void {
    byTestId('error-code').textContent = this.errorCode ?? ''
  }
}
