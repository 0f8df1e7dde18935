import type { LayerDefinition, LayerName } from '../layer-definition.ts'
import { communesLayer } from './communes.layer.ts'
import { fibreLayer } from './fibre.layer.ts'
import { measurementsLayer } from './measurements.layer.ts'
import { powerLinesLayer } from './power-lines.layer.ts'
import { sectorsLayer } from './sectors.layer.ts'
import { sitesLayer } from './sites.layer.ts'
import { statusReportsLayer } from './status-reports.layer.ts'
import { villagesLayer } from './villages.layer.ts'

/** Every importable layer by name. */
export const LAYERS: Record<LayerName, LayerDefinition<string, unknown>> = {
  communes: communesLayer as LayerDefinition<string, unknown>,
  villages: villagesLayer as LayerDefinition<string, unknown>,
  sites: sitesLayer as LayerDefinition<string, unknown>,
  sectors: sectorsLayer as LayerDefinition<string, unknown>,
  fibre: fibreLayer as LayerDefinition<string, unknown>,
  'power-lines': powerLinesLayer as LayerDefinition<string, unknown>,
  measurements: measurementsLayer as LayerDefinition<string, unknown>,
  'status-reports': statusReportsLayer as LayerDefinition<string, unknown>,
}
