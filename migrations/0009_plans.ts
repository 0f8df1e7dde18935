import { type Kysely, sql } from 'kysely'

/**
 * Planning scenarios: a plan is a set of proposed sites (positions, masts,
 * sectors) an operator's planners keep, compare and export for the field
 * survey. A plan belongs to one operator and is private to it (issue 8 scopes
 * planners to their operator; until then only the admin token reads plans).
 * A plan site may come from a candidate site (sites.status = 'candidate').
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE plans (
      id serial PRIMARY KEY,
      operator_id integer NOT NULL REFERENCES operators (id),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      description text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (operator_id, name)
    )`.execute(db)
  await sql`
    CREATE TABLE plan_sites (
      id serial PRIMARY KEY,
      plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
      position integer NOT NULL,
      label text,
      candidate_site_id integer REFERENCES sites (id) ON DELETE SET NULL,
      height_m real NOT NULL CHECK (height_m > 0 AND height_m <= 200),
      sectors jsonb NOT NULL,
      notes text,
      geom geometry(Point, 4326) NOT NULL,
      UNIQUE (plan_id, position),
      CHECK (jsonb_typeof(sectors) = 'array')
    )`.execute(db)
  await sql`CREATE INDEX plan_sites_geom_gist ON plan_sites USING gist (geom)`.execute(db)
  await sql`CREATE INDEX plans_operator_idx ON plans (operator_id)`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
