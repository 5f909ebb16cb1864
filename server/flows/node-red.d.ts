// The part of Node-RED's embedding API (node-red/lib/red.js) the server uses; it ships no types.
declare module 'node-red' {
  import type { Server } from 'node:http';
  import type { RequestHandler } from 'express';

  const RED: {
    init(server: Server, settings: Record<string, unknown>): void;
    start(): Promise<void>;
    stop(): Promise<void>;
    readonly httpAdmin: RequestHandler;
    readonly httpNode: RequestHandler;
  };
  export default RED;
}
