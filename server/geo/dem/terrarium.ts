/**
 * Terrarium elevation encoding (the format of the public "terrain tiles" and of MapLibre's
 * `raster-dem` sources with `encoding: "terrarium"`): height = R·256 + G + B/256 − 32768 metres,
 * so a pixel holds −32768 … +32767.996 m in steps of 1/256 m.
 */
export function encodeTerrarium(heights: ArrayLike<number>, rgba: Uint8Array): void {
  for (let i = 0; i < heights.length; i++) {
    const h = heights[i]!
    const v = Math.min(65535.996, Math.max(0, (Number.isFinite(h) ? h : 0) + 32768))
    const r = Math.floor(v / 256)
    const g = Math.floor(v - r * 256)
    const b = Math.floor((v - r * 256 - g) * 256)
    const o = i * 4
    rgba[o] = r
    rgba[o + 1] = g
    rgba[o + 2] = b
    rgba[o + 3] = 255
  }
}

export function decodeTerrarium(r: number, g: number, b: number): number {
  return r * 256 + g + b / 256 - 32768
}

/** The lon/lat of the centre of pixel (px, py) of a 256-pixel Web Mercator tile z/x/y. */
export function tilePixelLonLat(z: number, x: number, y: number, px: number, py: number, size = 256): [number, number] {
  const n = 2 ** z
  const fx = (x + (px + 0.5) / size) / n
  const fy = (y + (py + 0.5) / size) / n
  const lon = fx * 360 - 180
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * fy))) * 180) / Math.PI
  return [lon, lat]
}

/** The lon/lat bbox [west, south, east, north] of tile z/x/y, widened by `pad` tile sides on every side. */
export function tileBbox(z: number, x: number, y: number, pad = 0): [number, number, number, number] {
  const n = 2 ** z
  const lon = (fx: number) => fx * 360 - 180
  const lat = (fy: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * fy))) * 180) / Math.PI
  return [lon((x - pad) / n), lat((y + 1 + pad) / n), lon((x + 1 + pad) / n), lat((y - pad) / n)]
}
