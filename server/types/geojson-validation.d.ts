// Types for geojson-validation (the package ships none). Only what phusong uses.
declare module 'geojson-validation' {
  /** With trace=true: an array of error messages (empty when valid). */
  export function valid(geoJSON: unknown, trace: true): string[]
  export function valid(geoJSON: unknown, trace?: false): boolean
  export function isFeature(feature: unknown, trace: true): string[]
  export function isFeatureCollection(fc: unknown, trace: true): string[]
  export function isGeometryObject(geometry: unknown, trace: true): string[]
  const gjv: {
    valid: typeof valid
    isFeature: typeof isFeature
    isFeatureCollection: typeof isFeatureCollection
    isGeometryObject: typeof isGeometryObject
  }
  export default gjv
}
