import { type Kysely, sql } from 'kysely'

/**
 * Calibration of predictions against measurements. A row is one fitted
 * offset for a technology, operator and propagation model: `offset_db` is
 * added to that operator's predicted RSRP (calibrated = predicted + offset),
 * fitted from `n` measurement/prediction pairs; `stats` keeps the fit (method,
 * error before and after, the run it was fitted on). At most one row per
 * technology, operator and model is `applied`; applying a new fit un-applies
 * the previous one, which stays as history.
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE calibration_offsets (
      id serial PRIMARY KEY,
      technology technology NOT NULL,
      operator_id integer NOT NULL REFERENCES operators (id),
      model coverage_model NOT NULL,
      offset_db double precision NOT NULL CHECK (offset_db BETWEEN -100 AND 100),
      n integer NOT NULL CHECK (n > 0),
      stats jsonb NOT NULL DEFAULT '{}'::jsonb,
      fitted_at timestamptz NOT NULL DEFAULT now(),
      applied boolean NOT NULL DEFAULT false,
      applied_by text,
      CHECK (NOT applied OR applied_by IS NOT NULL)
    )`.execute(db)
  await sql`CREATE UNIQUE INDEX calibration_offsets_one_applied ON calibration_offsets (technology, operator_id, model) WHERE applied`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
