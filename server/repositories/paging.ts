/** [minLon, minLat, maxLon, maxLat] in WGS84 degrees. */
export type Bbox = readonly [number, number, number, number]

/** One page of a list: `limit` rows from `offset`. */
export interface Page {
  limit: number
  offset: number
}
