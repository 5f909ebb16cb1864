import type { ColumnType, Generated, Selectable } from 'kysely';
import type { z } from 'zod';
import type { stationEndpointSchema } from '../../core/api/fleet.ts';
import type { WorkingHours } from '../../core/sla/working-time.ts';

/** jsonb: read as the parsed value, written as JSON text (pg would turn a JS array into a PG array). */
type Json<T> = ColumnType<T, string, string>;
/** Times are ms since the epoch in double precision: exact to 2^53 and a plain number on pg and PGlite. */
type Ms = number;
/** A core/i18n message code beside an English text, and its parameters: optional when written. */
type Code = ColumnType<string | null, string | null | undefined, string | null>;
type CodeParams = ColumnType<Record<string, string | number>, string | undefined, string>;

export interface SlaPolicyTable {
  id: string;
  name: string;
  source: string;
  respond_minutes: number | null;
  on_site_minutes: number | null;
  fix_minutes: Json<{ minor?: number | null; general?: number | null; major?: number | null }>;
  at_risk_fraction: number;
  fix_from: Defaulted<string>;
  hours: DefaultedJson<WorkingHours>;
}

export interface BusinessDayTable {
  /** YYYY-MM-DD, local. */
  day: string;
  kind: string;
  name: Defaulted<string>;
}

/** A column the database fills with a default when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** jsonb with a default. */
type DefaultedJson<T> = ColumnType<T, string | undefined, string>;

export interface Contact {
  name: string;
  role?: string;
  phone?: string;
  email?: string;
  wechat?: string;
}

export interface CustomerTable {
  id: string;
  name: string;
  address: string;
  phone: string;
  contacts: DefaultedJson<Contact[]>;
  retired_at: Defaulted<Ms | null>;
}

/** A contract's warranty terms: the whole equipment for N years, parts for their own months, software for life. */
export interface WarrantyTerms {
  equipmentYears?: number;
  parts?: { part: string; months: number }[];
  softwareLifetime?: boolean;
}

/** How an edge reaches a station's controller. */
export type StationEndpoint = z.output<typeof stationEndpointSchema>;

export interface EdgeTable {
  id: string;
  site_id: string;
  name: Defaulted<string>;
  created_at: Ms;
  secret_hash: Defaulted<string | null>;
  credential_version: Defaulted<number>;
  revoked_at: Defaulted<Ms | null>;
  last_seen_at: Defaulted<Ms | null>;
  version: Defaulted<string | null>;
  retired_at: Defaulted<Ms | null>;
}

export interface ContractTable {
  id: string;
  customer_id: string;
  name: string;
  sla_policy_id: string;
  starts_on: string;
  ends_on: string | null;
  warranty_terms: string;
  warranty: DefaultedJson<WarrantyTerms>;
  retired_at: Defaulted<Ms | null>;
}

export interface SiteTable {
  id: string;
  customer_id: string;
  name: string;
  address: string;
  thresholds: Json<Record<string, unknown>>;
  time_zone: Defaulted<string>;
  latitude: Defaulted<number | null>;
  longitude: Defaulted<number | null>;
  retired_at: Defaulted<Ms | null>;
}

export interface StationTable {
  site_id: string;
  id: string;
  name: string;
  model: string;
  serial_number: string;
  acceptance_date: string | null;
  warranty_end: string | null;
  contract_id: string | null;
  /** The profile's name (profiles/<name>.yaml); '' when not yet chosen. */
  profile: Defaulted<string>;
  endpoint: ColumnType<StationEndpoint | null, string | null | undefined, string | null>;
  edge_id: Defaulted<string | null>;
  retired_at: Defaulted<Ms | null>;
}

export interface PumpTable {
  site_id: string;
  station_id: string;
  pump_no: number;
  model: string;
  serial_number: string;
  acceptance_date: string | null;
  warranty_end: string | null;
  sale_date: Defaulted<string | null>;
  install_date: Defaulted<string | null>;
  retired_at: Defaulted<Ms | null>;
}

export interface AlarmTable {
  id: Generated<number>;
  site: string;
  station: string;
  fault_class: string;
  subject: string;
  severity: string;
  title: string;
  /** The title as a message code with params (vendor alarm codes); null: readers name the fault class. */
  title_code: string | null;
  title_params: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  status: string;
  raised_at: Ms;
  last_raised_at: Ms;
  cleared_at: Ms | null;
  acknowledged_at: Ms | null;
  acknowledged_by: string | null;
  occurrences: number;
  value: Json<unknown> | null;
  ticket_id: number | null;
}

export interface AlarmEventTable {
  id: Generated<number>;
  alarm_id: number;
  at: Ms;
  action: string;
  actor: string;
  note: string;
}

export interface ShelfTable {
  id: Generated<number>;
  site: string;
  station: string;
  fault_class: string;
  subject: string;
  until: Ms;
  shelved_by: string;
  reason: string;
  created_at: Ms;
}

export interface TicketTable {
  id: Generated<number>;
  site: string;
  station: string;
  pump: number | null;
  fault_class: string | null;
  subject: string;
  title: string;
  title_code: Code;
  title_params: CodeParams;
  description: string;
  description_code: Code;
  description_params: CodeParams;
  severity: string;
  source: string;
  state: string;
  reported_by: string;
  contract_id: string | null;
  sla_policy_id: string;
  equipment_model: string | null;
  equipment_serial: string | null;
  warranty_end: string | null;
  in_warranty: boolean | null;
  service_mode: string | null;
  department: string | null;
  technician: string | null;
  expected_arrival: Ms | null;
  work_done: string | null;
  parts_used: Json<{ part: string; quantity: number }[]>;
  root_cause: string | null;
  signer_name: string | null;
  signed_at: Ms | null;
  occurrence_count: number;
  reopen_count: number;
  created_at: Ms;
  updated_at: Ms;
  last_occurrence_at: Ms;
  resolved_at: Ms | null;
  closed_at: Ms | null;
  /** Planned, follow-up and predictive work: when it is due. */
  due_at: Defaulted<Ms | null>;
}

export interface TicketEventTable {
  id: Generated<number>;
  ticket_id: number;
  at: Ms;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  note: string;
  code: Code;
  params: CodeParams;
  data: Json<Record<string, unknown>>;
  /** Set for events that must happen once across server instances (SLA escalations). */
  dedup_key: string | null;
}

export interface MaintenancePlanTable {
  id: string;
  name: string;
  model: string | null;
  contract_id: string | null;
  every_months: number | null;
  every_run_hours: number | null;
  lead_days: number;
  work: string;
}

export interface SurveyTable {
  id: Generated<number>;
  ticket_id: number;
  customer_id: string | null;
  site: string;
  station: string;
  score: number;
  remarks: string;
  surveyed_by: string;
  at: Ms;
}

export interface HealthModelTable {
  site: string;
  station: string;
  saved_at: Ms;
  /** A StationModel (server/predictive/station-model.ts) as JSON. */
  model: unknown;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Ms;
  actor: string;
  actor_role: string;
  /** A dotted verb, `customer.create`, `edge.rotate`, `command.reset_trip`. */
  action: string;
  /** What was acted on: `customer/acme`, `station/plant1/st1`. */
  target: string;
  result: 'ok' | 'refused' | 'failed';
  detail: Json<Record<string, unknown>>;
}

/** A sign-in account (migration 9). */
export interface AccountTable {
  username: string;
  password_hash: string;
  role: string;
  /** The sites a staff account may see; null: every site. Customers get theirs from sites.customer_id. */
  sites: ColumnType<string[] | null, string | null | undefined, string | null>;
  customer_id: Defaulted<string | null>;
  display_name: Defaulted<string>;
  disabled_at: Defaulted<Ms | null>;
  failed_attempts: Defaulted<number>;
  locked_until: Defaulted<Ms | null>;
  last_sign_in_at: Defaulted<Ms | null>;
  token_version: Defaulted<number>;
  source: Defaulted<string>;
  created_at: Ms;
  changed_at: Ms;
}

export interface AccountSessionTable {
  id: string;
  username: string;
  token_version: number;
  issued_at: Ms;
  expires_at: Ms;
  revoked_at: Defaulted<Ms | null>;
}

/** A station's acceptance record (验收), migration 8. */
export interface StationAcceptanceTable {
  site_id: string;
  station_id: string;
  accepted_on: string;
  accepted_by: string;
  recorded_by: string;
  recorded_at: Ms;
  nominal_voltage: number;
  dielectric_test_voltage: number;
  dielectric_seconds: number;
  dielectric_passed: boolean;
  earth_resistance_ohms: number | null;
  earth_passed: boolean;
  passed: boolean;
  notes: string;
}

/** Remote commands (migration 11): who asked what of which station, and what came of it. */
export interface CommandTable {
  /** UUID, also the id on the MQTT link. */
  id: string;
  site_id: string;
  station_id: string;
  kind: string;
  pump: number | null;
  value: number | null;
  status: 'pending' | 'confirmed' | 'refused' | 'expired';
  code: string | null;
  detail: string;
  read_back: Json<number | boolean | null>;
  actor: string;
  actor_role: string;
  issued_at: Ms;
  expires_at: Ms;
  settled_at: Ms | null;
  edge_id: string | null;
}

export interface ServiceDatabase {
  accounts: AccountTable;
  account_sessions: AccountSessionTable;
  commands: CommandTable;
  audit_log: AuditLogTable;
  station_acceptances: StationAcceptanceTable;
  edges: EdgeTable;
  sla_policies: SlaPolicyTable;
  business_days: BusinessDayTable;
  customers: CustomerTable;
  contracts: ContractTable;
  sites: SiteTable;
  stations: StationTable;
  pumps: PumpTable;
  alarms: AlarmTable;
  alarm_events: AlarmEventTable;
  shelves: ShelfTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  maintenance_plans: MaintenancePlanTable;
  surveys: SurveyTable;
  health_models: HealthModelTable;
}

export type AccountRow = Selectable<AccountTable>;
export type AccountSessionRow = Selectable<AccountSessionTable>;
export type AlarmRow = Selectable<AlarmTable>;
export type TicketRow = Selectable<TicketTable>;
export type TicketEventRow = Selectable<TicketEventTable>;
export type StationRow = Selectable<StationTable>;
export type PumpRow = Selectable<PumpTable>;
export type ContractRow = Selectable<ContractTable>;
export type SiteRow = Selectable<SiteTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type EdgeRow = Selectable<EdgeTable>;
export type SlaPolicyRow = Selectable<SlaPolicyTable>;
export type MaintenancePlanRow = Selectable<MaintenancePlanTable>;
export type SurveyRow = Selectable<SurveyTable>;
export type StationAcceptanceRow = Selectable<StationAcceptanceTable>;
