// Moved to core/ so the dashboards read the same vocabulary; kept here for the server's imports.
export * from '../../core/alarms/lifecycle.ts';
