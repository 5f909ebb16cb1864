/** Migration 18: the quality loop (纠正预防, 质量归零) and non-conforming product records. */
export const QUALITY_MIGRATION = {
  version: 18,
  name: 'quality records of fault tickets, quality actions with their timeline, non-conforming products',
  sql: `
CREATE TABLE ticket_quality_records (
  ticket_id integer PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  responsibility text NOT NULL CHECK (responsibility IN ('maker', 'installer', 'customer', 'wear', 'outside_cause')),
  corrective_action text NOT NULL,
  preventive_action text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at double precision NOT NULL
);
CREATE TABLE quality_actions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id integer UNIQUE REFERENCES tickets(id) ON DELETE SET NULL,
  site text NOT NULL,
  station text NOT NULL,
  pump integer,
  failure_mode text,
  severity text NOT NULL,
  reasons jsonb NOT NULL,
  title text NOT NULL,
  owner text NOT NULL,
  due_at double precision NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'in_progress', 'verified_closed')),
  opened_at double precision NOT NULL,
  updated_at double precision NOT NULL,
  closed_at double precision
);
CREATE INDEX quality_actions_status_due ON quality_actions (status, due_at);
CREATE TABLE quality_action_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action_id integer NOT NULL REFERENCES quality_actions(id) ON DELETE CASCADE,
  at double precision NOT NULL,
  actor text NOT NULL,
  kind text NOT NULL,
  from_status text,
  to_status text,
  note text NOT NULL DEFAULT ''
);
CREATE INDEX quality_action_events_action ON quality_action_events (action_id, id);
CREATE TABLE nonconforming_products (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product text NOT NULL,
  model text,
  batch text,
  serial text,
  problem text NOT NULL,
  disposition text NOT NULL CHECK (disposition IN ('rework', 'return_to_maker', 'scrap', 'concession')),
  ticket_id integer REFERENCES tickets(id) ON DELETE SET NULL,
  quality_action_id integer REFERENCES quality_actions(id) ON DELETE SET NULL,
  created_by text NOT NULL,
  created_at double precision NOT NULL,
  updated_at double precision NOT NULL
);
`,
};
