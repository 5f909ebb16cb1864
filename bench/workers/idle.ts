import { serveWorker } from './protocol.ts';

/** A worker that loads nothing: the memory floor of a node process started through tsx. */
serveWorker(async () => ({ info: {}, stop: async () => {} }));
