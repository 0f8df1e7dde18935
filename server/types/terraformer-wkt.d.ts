// Types for @terraformer/wkt (the package ships none). Only what phusong uses.
declare module '@terraformer/wkt' {
  import type { Geometry } from 'geojson'
  /** Parses WKT (upper-case keywords; no SRID prefix). Throws on invalid input. */
  export function wktToGeoJSON(wkt: string): Geometry
  export function geojsonToWKT(geometry: Geometry): string
}
