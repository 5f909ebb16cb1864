// Moved to core/ so the dashboards read the same vocabulary; kept here for the server's imports.
export * from '../../core/tickets/root-causes.ts';
