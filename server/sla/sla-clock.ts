// The clocks are pure and live in core/ (core/sla/clocks.ts); kept here for the server's imports.
export {
  type ClockState,
  type ClockView,
  type Escalation,
  SLA_CLOCKS,
  type SlaClockName,
  type SlaState,
  type SlaView,
} from '../../core/api/sla.ts';
export {
  computeSla,
  DUE_DATE_SOURCES,
  fixMinutesFor,
  type SlaEvent,
  type SlaSubject,
} from '../../core/sla/clocks.ts';
