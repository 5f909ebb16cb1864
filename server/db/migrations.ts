import { type Kysely, sql } from 'kysely';
import { SEED_BUSINESS_DAYS } from '../../core/sla/cn-holidays.ts';
import { QUALITY_MIGRATION } from '../quality/quality-migration.ts';
import type { ServiceDatabase } from './schema.ts';

/**
 * The one set of migrations, for PGlite and PostgreSQL alike. Append, never edit: a deployed
 * database has run the earlier ones. Times are ms since the epoch (double precision).
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'assets, contracts, alarms, tickets',
    sql: `
CREATE TABLE sla_policies (
  id text PRIMARY KEY,
  name text NOT NULL,
  source text NOT NULL DEFAULT '',
  respond_minutes integer,
  on_site_minutes integer,
  fix_minutes jsonb NOT NULL,
  at_risk_fraction double precision NOT NULL DEFAULT 0.25
);
CREATE TABLE customers (
  id text PRIMARY KEY,
  name text NOT NULL,
  address text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT ''
);
CREATE TABLE contracts (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  name text NOT NULL,
  sla_policy_id text NOT NULL REFERENCES sla_policies(id),
  starts_on text NOT NULL,
  ends_on text,
  warranty_terms text NOT NULL DEFAULT ''
);
CREATE TABLE sites (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  name text NOT NULL,
  address text NOT NULL DEFAULT '',
  thresholds jsonb NOT NULL DEFAULT '{}'
);
CREATE TABLE stations (
  site_id text NOT NULL REFERENCES sites(id),
  id text NOT NULL,
  name text NOT NULL,
  model text NOT NULL DEFAULT '',
  serial_number text NOT NULL DEFAULT '',
  acceptance_date text,
  warranty_end text,
  contract_id text REFERENCES contracts(id),
  PRIMARY KEY (site_id, id)
);
CREATE TABLE pumps (
  site_id text NOT NULL,
  station_id text NOT NULL,
  pump_no integer NOT NULL,
  model text NOT NULL DEFAULT '',
  serial_number text NOT NULL DEFAULT '',
  acceptance_date text,
  warranty_end text,
  PRIMARY KEY (site_id, station_id, pump_no),
  FOREIGN KEY (site_id, station_id) REFERENCES stations(site_id, id)
);
CREATE TABLE alarms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site text NOT NULL,
  station text NOT NULL,
  fault_class text NOT NULL,
  subject text NOT NULL DEFAULT '',
  severity text NOT NULL,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('active_unack', 'active_ack', 'cleared_unack', 'cleared_ack')),
  raised_at double precision NOT NULL,
  last_raised_at double precision NOT NULL,
  cleared_at double precision,
  acknowledged_at double precision,
  acknowledged_by text,
  occurrences integer NOT NULL DEFAULT 1,
  value jsonb,
  ticket_id integer
);
-- One live alarm (not yet cleared and acknowledged) per station, fault class and subject.
CREATE UNIQUE INDEX alarms_one_live ON alarms (site, station, fault_class, subject) WHERE status <> 'cleared_ack';
CREATE INDEX alarms_by_time ON alarms (last_raised_at DESC);
CREATE TABLE alarm_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alarm_id integer NOT NULL REFERENCES alarms(id),
  at double precision NOT NULL,
  action text NOT NULL,
  actor text NOT NULL,
  note text NOT NULL DEFAULT ''
);
CREATE INDEX alarm_events_by_alarm ON alarm_events (alarm_id, at);
CREATE TABLE shelves (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site text NOT NULL,
  station text NOT NULL,
  fault_class text NOT NULL,
  subject text NOT NULL DEFAULT '',
  until double precision NOT NULL,
  shelved_by text NOT NULL,
  reason text NOT NULL DEFAULT '',
  created_at double precision NOT NULL,
  UNIQUE (site, station, fault_class, subject)
);
CREATE TABLE tickets (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site text NOT NULL,
  station text NOT NULL,
  pump integer,
  fault_class text,
  subject text NOT NULL DEFAULT '',
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  severity text NOT NULL CHECK (severity IN ('minor', 'general', 'major')),
  source text NOT NULL,
  state text NOT NULL CHECK (state IN ('new', 'triaged', 'dispatched', 'on_site', 'resolved', 'signed_off', 'closed')),
  reported_by text NOT NULL DEFAULT '',
  contract_id text,
  sla_policy_id text NOT NULL REFERENCES sla_policies(id),
  equipment_model text,
  equipment_serial text,
  warranty_end text,
  in_warranty boolean,
  service_mode text,
  department text,
  technician text,
  expected_arrival double precision,
  work_done text,
  parts_used jsonb NOT NULL DEFAULT '[]',
  root_cause text,
  signer_name text,
  signed_at double precision,
  occurrence_count integer NOT NULL DEFAULT 1,
  reopen_count integer NOT NULL DEFAULT 0,
  created_at double precision NOT NULL,
  updated_at double precision NOT NULL,
  last_occurrence_at double precision NOT NULL,
  resolved_at double precision,
  closed_at double precision
);
-- Exactly one open ticket per station and fault class (and subject): repeats and concurrent
-- server instances add occurrences to it. Manual tickets have no fault class and never collide.
CREATE UNIQUE INDEX tickets_one_open ON tickets (site, station, fault_class, subject)
  WHERE state IN ('new', 'triaged', 'dispatched', 'on_site');
CREATE INDEX tickets_by_station ON tickets (site, station, fault_class, subject, resolved_at);
CREATE TABLE ticket_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id integer NOT NULL REFERENCES tickets(id),
  at double precision NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  from_state text,
  to_state text,
  note text NOT NULL DEFAULT '',
  data jsonb NOT NULL DEFAULT '{}',
  dedup_key text
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, at);
CREATE UNIQUE INDEX ticket_events_once ON ticket_events (ticket_id, dedup_key) WHERE dedup_key IS NOT NULL;
`,
  },
  {
    version: 2,
    name: 'maintenance plans and follow-up surveys',
    sql: `
-- Preventive maintenance by calendar (every_months from acceptance) and/or by run hours, per station or
-- pump model and contract (null: any). Due work becomes a ticket lead_days ahead of its date.
CREATE TABLE maintenance_plans (
  id text PRIMARY KEY,
  name text NOT NULL,
  model text,
  contract_id text REFERENCES contracts(id),
  every_months integer CHECK (every_months > 0),
  every_run_hours integer CHECK (every_run_hours > 0),
  lead_days integer NOT NULL DEFAULT 14 CHECK (lead_days >= 0),
  work text NOT NULL DEFAULT '',
  CHECK (every_months IS NOT NULL OR every_run_hours IS NOT NULL)
);
-- DOMAIN.md: maintenance recommended every six months.
INSERT INTO maintenance_plans (id, name, every_months, lead_days, work)
  VALUES ('six-monthly', 'Six-monthly maintenance', 6, 14, 'Inspect pumps, seals, bearings, drive and electrics; clean; record readings');
-- A follow-up visit's satisfaction survey, kept with the customer's record.
CREATE TABLE surveys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign key: tickets may be truncated in test set-ups; the route checks the ticket exists.
  ticket_id integer NOT NULL UNIQUE,
  customer_id text,
  site text NOT NULL,
  station text NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  remarks text NOT NULL DEFAULT '',
  surveyed_by text NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX surveys_by_customer ON surveys (customer_id, at);
CREATE INDEX tickets_by_subject ON tickets (site, station, fault_class, subject);
`,
  },
  {
    version: 3,
    name: 'health model snapshots',
    sql: `
-- Each station's health model (baselines, anomaly state, the trend window's hourly medians) as plain
-- JSON, saved every few hours and at shutdown, so a restarted server predicts on from where it was.
CREATE TABLE health_models (
  site text NOT NULL,
  station text NOT NULL,
  saved_at double precision NOT NULL,
  model jsonb NOT NULL,
  PRIMARY KEY (site, station)
);
`,
  },
  {
    version: 4,
    name: 'message codes beside ticket titles and timeline notes',
    sql: `
-- A core/i18n code and its parameters beside the English text, so each reader sees it in their own
-- language; null for text a person typed, and for rows written before this migration.
ALTER TABLE tickets ADD COLUMN title_code text, ADD COLUMN title_params jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN description_code text, ADD COLUMN description_params jsonb NOT NULL DEFAULT '{}';
ALTER TABLE ticket_events ADD COLUMN code text, ADD COLUMN params jsonb NOT NULL DEFAULT '{}';
`,
  },
  {
    version: 5,
    name: 'audit log of admin actions and remote commands',
    sql: `
CREATE TABLE audit_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at double precision NOT NULL,
  actor text NOT NULL,
  actor_role text NOT NULL,
  action text NOT NULL,
  target text NOT NULL DEFAULT '',
  result text NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);
`,
  },
  {
    version: 6,
    name: 'master data: contacts, time zones, warranty terms, station endpoints, edges, retirement',
    sql: `
-- Retired rows stay (tickets and history refer to them) but leave lists, imports and new tickets.
ALTER TABLE customers ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]', ADD COLUMN retired_at double precision;
ALTER TABLE sites ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  ADD COLUMN latitude double precision, ADD COLUMN longitude double precision,
  ADD COLUMN retired_at double precision;
-- warranty: {equipmentYears, parts: [{part, months}], softwareLifetime}
ALTER TABLE contracts ADD COLUMN warranty jsonb NOT NULL DEFAULT '{}', ADD COLUMN retired_at double precision;
CREATE TABLE edges (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites(id),
  name text NOT NULL DEFAULT '',
  created_at double precision NOT NULL,
  -- scrypt hash of the broker password handed out once; rotated by bumping credential_version
  secret_hash text,
  credential_version integer NOT NULL DEFAULT 0,
  revoked_at double precision,
  last_seen_at double precision,
  version text,
  retired_at double precision
);
-- endpoint: {tcp: {host, port, unitId}} or {rtu: {path, baudRate, parity, dataBits, stopBits, unitId}}
ALTER TABLE stations ADD COLUMN profile text NOT NULL DEFAULT '', ADD COLUMN endpoint jsonb,
  ADD COLUMN edge_id text REFERENCES edges(id), ADD COLUMN retired_at double precision;
ALTER TABLE pumps ADD COLUMN sale_date text, ADD COLUMN install_date text, ADD COLUMN retired_at double precision;
`,
  },
  {
    version: 8,
    name: 'station acceptance records: dielectric test and earth check',
    sql: `
-- One record per station (a new test replaces it); the rules live in core/acceptance/acceptance-rules.ts.
CREATE TABLE station_acceptances (
  site_id text NOT NULL,
  station_id text NOT NULL,
  accepted_on text NOT NULL,
  accepted_by text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at double precision NOT NULL,
  nominal_voltage double precision NOT NULL,
  dielectric_test_voltage double precision NOT NULL,
  dielectric_seconds integer NOT NULL,
  dielectric_passed boolean NOT NULL,
  earth_resistance_ohms double precision,
  earth_passed boolean NOT NULL,
  passed boolean NOT NULL,
  notes text NOT NULL DEFAULT '',
  PRIMARY KEY (site_id, station_id),
  FOREIGN KEY (site_id, station_id) REFERENCES stations (site_id, id)
);
`,
  },
  {
    version: 9,
    name: 'accounts and sign-in sessions',
    sql: `
-- Who may sign in. An accounts file seeds this table at start; admins change it over the API.
-- token_version is bumped when an account is disabled or its password reset: every session of an
-- older version is refused at once.
CREATE TABLE accounts (
  username text PRIMARY KEY,
  password_hash text NOT NULL,
  role text NOT NULL,
  sites jsonb,
  customer_id text,
  display_name text NOT NULL DEFAULT '',
  disabled_at double precision,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until double precision,
  last_sign_in_at double precision,
  token_version integer NOT NULL DEFAULT 0,
  -- 'file', 'demo', 'cli' or 'admin': who made the account
  source text NOT NULL DEFAULT 'admin',
  created_at double precision NOT NULL,
  changed_at double precision NOT NULL
);
-- One row per sign-in; the bearer token names its session, so sign-out revokes exactly that token.
CREATE TABLE account_sessions (
  id text PRIMARY KEY,
  username text NOT NULL REFERENCES accounts(username) ON DELETE CASCADE,
  token_version integer NOT NULL,
  issued_at double precision NOT NULL,
  expires_at double precision NOT NULL,
  revoked_at double precision
);
CREATE INDEX account_sessions_username ON account_sessions (username);
`,
  },
  {
    version: 11,
    name: 'remote commands: who asked what of which station, and the edge read-back result',
    sql: `
-- No foreign key to stations: a command refused for an unknown or offline station is kept too.
CREATE TABLE commands (
  id text PRIMARY KEY,
  site_id text NOT NULL,
  station_id text NOT NULL,
  kind text NOT NULL,
  pump integer,
  value double precision,
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'refused', 'expired')),
  code text,
  detail text NOT NULL DEFAULT '',
  read_back jsonb,
  actor text NOT NULL,
  actor_role text NOT NULL,
  issued_at double precision NOT NULL,
  expires_at double precision NOT NULL,
  settled_at double precision,
  edge_id text
);
CREATE INDEX commands_station ON commands (site_id, station_id, issued_at DESC);
CREATE INDEX commands_pending ON commands (expires_at) WHERE status = 'pending';
`,
  },
  {
    version: 12,
    name: 'alarm titles as message codes (vendor alarm codes)',
    sql: `
-- A vendor code alarm's title is the vendor's text in both languages: a code and params, as tickets have.
ALTER TABLE alarms ADD COLUMN title_code text, ADD COLUMN title_params jsonb;
`,
  },
  {
    version: 13,
    name: 'SLA clocks as the contracts say: fix from arrival, working hours, business calendar, due dates',
    sql: `
ALTER TABLE sla_policies
  ADD COLUMN fix_from text NOT NULL DEFAULT 'arrival' CHECK (fix_from IN ('arrival', 'report')),
  ADD COLUMN hours jsonb NOT NULL DEFAULT '{"kind":"24x7"}';
-- Planned, follow-up and predictive work: when it is due (ms); null for a fault.
ALTER TABLE tickets ADD COLUMN due_at double precision;
UPDATE tickets SET due_at = (extract(epoch FROM (title_params->>'due')::date) + 86400) * 1000
  WHERE source IN ('plan', 'follow_up') AND title_params->>'due' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
-- Days that differ from the weekly rule: public holidays off, swapped working days (调休) on.
CREATE TABLE business_days (
  day text PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name text NOT NULL DEFAULT ''
);
${businessDaysSeedSql()}
`,
  },
  {
    version: 14,
    name: 'notifications: settings, user channels, escalation chains, message log, webhook deliveries',
    sql: `
-- One row: channels, teams and rota, chains per severity (core/notify/settings.ts).
CREATE TABLE notify_settings (
  id integer PRIMARY KEY CHECK (id = 1),
  settings jsonb NOT NULL,
  changed_at double precision NOT NULL
);
-- A user's own channels, quiet hours and language; no foreign key: a rota may name a user first.
CREATE TABLE notify_profiles (
  username text PRIMARY KEY,
  profile jsonb NOT NULL,
  changed_at double precision NOT NULL
);
-- One row per fault (an alarm's ticket, else the alarm): its chain's progress until acknowledged.
CREATE TABLE notify_chains (
  fault_key text PRIMARY KEY,
  site text NOT NULL,
  station text NOT NULL,
  alarm_id integer,
  ticket_id integer,
  severity text NOT NULL,
  params jsonb NOT NULL,
  raised_at double precision NOT NULL,
  sent_steps jsonb NOT NULL DEFAULT '[]',
  stopped_at double precision,
  stopped_by text
);
CREATE INDEX notify_chains_running ON notify_chains (raised_at) WHERE stopped_at IS NULL;
CREATE INDEX notify_chains_alarm ON notify_chains (alarm_id);
CREATE INDEX notify_chains_ticket ON notify_chains (ticket_id);
-- Every message with its delivery result. The unique key is what keeps a flapping fault from
-- sending a burst: one message per fault, step, recipient and channel, across instances too.
CREATE TABLE notify_log (
  id serial PRIMARY KEY,
  at double precision NOT NULL,
  dedupe_key text NOT NULL,
  kind text NOT NULL,
  recipient text NOT NULL,
  channel text NOT NULL,
  address text NOT NULL DEFAULT '',
  language text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  site text,
  station text,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'rate_limited', 'quiet', 'no_address')),
  detail text NOT NULL DEFAULT '',
  UNIQUE (dedupe_key, recipient, channel)
);
CREATE INDEX notify_log_at ON notify_log (at DESC);
CREATE INDEX notify_log_recipient ON notify_log (recipient, at DESC);
-- Signed webhook deliveries: retried with back-off; 'dead' ones are the dead letters admins replay.
CREATE TABLE notify_webhook_deliveries (
  id serial PRIMARY KEY,
  webhook_id text NOT NULL,
  dedupe_key text NOT NULL,
  body text NOT NULL,
  created_at double precision NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_at double precision NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  last_error text NOT NULL DEFAULT '',
  UNIQUE (webhook_id, dedupe_key)
);
CREATE INDEX notify_webhook_due ON notify_webhook_deliveries (next_at) WHERE status = 'pending';
`,
  },
  {
    version: 15,
    name: 'customer portal: request photos, survey aspects, result feedback',
    sql: `
-- A service request's photos: uploaded first (ticket_id null), attached when the request is sent.
CREATE TABLE ticket_photos (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id integer,
  uploaded_by text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  bytes bytea NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX ticket_photos_by_ticket ON ticket_photos (ticket_id);
CREATE INDEX ticket_photos_pending ON ticket_photos (uploaded_by) WHERE ticket_id IS NULL;
-- The portal's survey rates aspects beside the overall score (follow-up surveys keep '{}').
ALTER TABLE surveys ADD COLUMN aspects jsonb NOT NULL DEFAULT '{}';
-- Result feedback (结果反馈) given to the customer after a ticket is resolved: one per ticket.
CREATE TABLE result_feedback (
  ticket_id integer PRIMARY KEY,
  done_at double precision NOT NULL,
  done_by text NOT NULL,
  note text NOT NULL DEFAULT ''
);
`,
  },
  {
    version: 16,
    name: 'Node-RED flows, credentials, settings and library entries in the service database',
    sql: `
-- One row per Node-RED document (flows, credentials, settings, sessions): every instance and every
-- backup of the database sees the same flows. saved_by/saved_role: who deployed (the flows' owner).
CREATE TABLE flow_documents (
  name text PRIMARY KEY CHECK (name IN ('flows', 'credentials', 'settings', 'sessions')),
  body jsonb NOT NULL,
  saved_at double precision NOT NULL,
  saved_by text,
  saved_role text
);
-- The editor's library (saved functions, templates, flows), by type and path.
CREATE TABLE flow_library (
  type text NOT NULL,
  path text NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}',
  body text NOT NULL,
  saved_at double precision NOT NULL,
  PRIMARY KEY (type, path)
);
`,
  },
  {
    version: 20,
    name: 'record retention classes, legal holds, retention runs and stored reports',
    sql: `
-- DOMAIN.md "Records": quality records are kept permanent, 10, 5 or 3 years, checked yearly.
CREATE TABLE retention_classes (
  class text PRIMARY KEY,
  period text NOT NULL CHECK (period IN ('permanent', '10y', '5y', '3y')),
  updated_at double precision NOT NULL DEFAULT 0,
  updated_by text NOT NULL DEFAULT 'default'
);
INSERT INTO retention_classes (class, period) VALUES
  ('tickets', '10y'), ('alarms', '5y'), ('surveys', '3y'), ('commands', '3y'),
  ('audit', 'permanent'), ('reports', 'permanent');
-- A held record is never removed, whatever its class's period says.
CREATE TABLE legal_holds (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class text NOT NULL REFERENCES retention_classes(class),
  record_id text NOT NULL,
  reason text NOT NULL DEFAULT '',
  held_by text NOT NULL,
  held_at double precision NOT NULL,
  UNIQUE (class, record_id)
);
CREATE TABLE retention_runs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at double precision NOT NULL,
  dry_run boolean NOT NULL,
  actor text NOT NULL,
  outcome jsonb NOT NULL
);
CREATE TABLE report_runs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  period_from double precision NOT NULL,
  period_to double precision NOT NULL,
  generated_at double precision NOT NULL,
  report jsonb NOT NULL,
  UNIQUE (kind, period_from, period_to)
);
`,
  },
  {
    version: 17,
    name: 'parts catalogue, depot stock, parts used on tickets, quotes and service records',
    sql: `
-- Parts (国标件) and the depots that hold them; stock never goes below zero.
CREATE TABLE depots (
  id text PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE parts (
  code text PRIMARY KEY,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  unit_cost_cents integer NOT NULL CHECK (unit_cost_cents >= 0),
  warranty_months integer NOT NULL DEFAULT 0 CHECK (warranty_months >= 0)
);
CREATE TABLE part_stock (
  depot_id text NOT NULL REFERENCES depots(id),
  part_code text NOT NULL REFERENCES parts(code),
  quantity integer NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (depot_id, part_code)
);
-- Parts fitted on a ticket; with site, station and pump, so a part's own warranty can be looked up.
CREATE TABLE ticket_parts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id integer NOT NULL,
  site text NOT NULL,
  station text NOT NULL,
  pump integer,
  part_code text NOT NULL REFERENCES parts(code),
  depot_id text NOT NULL REFERENCES depots(id),
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_cost_cents integer NOT NULL,
  used_on text NOT NULL,
  used_by text NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX ticket_parts_by_ticket ON ticket_parts (ticket_id);
CREATE INDEX ticket_parts_by_station ON ticket_parts (site, station, part_code);
-- The quote before the work and the customer's written confirmation of the fee.
CREATE TABLE ticket_quotes (
  ticket_id integer PRIMARY KEY,
  charge jsonb NOT NULL,
  created_at double precision NOT NULL,
  created_by text NOT NULL,
  confirmation text CHECK (confirmation IN ('portal', 'paper')),
  confirmed_at double precision,
  confirmed_by text,
  signer_name text
);
-- The service record (售后服务单) with its signature and the archived PDF.
CREATE TABLE service_records (
  ticket_id integer PRIMARY KEY,
  record jsonb NOT NULL,
  signature bytea NOT NULL,
  pdf bytea NOT NULL,
  created_at double precision NOT NULL,
  created_by text NOT NULL
);
`,
  },
  QUALITY_MIGRATION,
  {
    version: 21,
    name: 'notifications held through quiet hours, sent when they end',
    sql: `
-- 'quiet' rows were skipped for good; now a message due in quiet hours is 'held' until hold_until,
-- then sent, or 'cancelled' when its fault was acknowledged or cleared meanwhile.
ALTER TABLE notify_log DROP CONSTRAINT notify_log_status_check;
ALTER TABLE notify_log ADD CONSTRAINT notify_log_status_check CHECK (status IN
  ('pending', 'sent', 'failed', 'rate_limited', 'quiet', 'no_address', 'held', 'cancelled'));
ALTER TABLE notify_log ADD COLUMN hold_until double precision;
CREATE INDEX notify_log_held ON notify_log (hold_until) WHERE status = 'held';
`,
  },
];

/** The seeded calendar (core/sla/cn-holidays.ts) as one INSERT. */
function businessDaysSeedSql(): string {
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const rows = SEED_BUSINESS_DAYS.map((d) => `(${quote(d.day)}, ${quote(d.kind)}, ${quote(d.name)})`);
  return `INSERT INTO business_days (day, kind, name) VALUES\n${rows.join(',\n')};`;
}

// Any constant: the key under which concurrent starts wait for each other's migrations.
const MIGRATION_LOCK = 72_650_001;

/** Applies the migrations not yet applied, in one transaction under an advisory lock. */
export async function migrate(db: Kysely<ServiceDatabase>): Promise<number[]> {
  return await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS service_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
      tx,
    );
    const done = await sql<{ version: number }>`SELECT version FROM service_migrations`.execute(tx);
    const applied = new Set(done.rows.map((row) => row.version));
    const ran: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await sql.raw(migration.sql).execute(tx);
      await sql`INSERT INTO service_migrations (version, name) VALUES (${migration.version}, ${migration.name})`.execute(
        tx,
      );
      ran.push(migration.version);
    }
    return ran;
  });
}
