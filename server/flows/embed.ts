import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../core/log.ts';
import { PACKAGE_ROOT } from '../../core/package-root.ts';
import type { AccountStore } from '../auth/account-store.ts';
import type { SessionGate } from '../auth/session-gate.ts';
import type { SignInResult } from '../auth/sign-in.ts';
import { FlowBridge, type FlowBridgeDeps } from './bridge.ts';
import { flowAdminAuth } from './flow-auth.ts';
import { FlowOwnerResolver } from './flow-owner.ts';
import { FlowStore } from './flow-store.ts';
import { FLOWS_HTTP_ROOT, FLOWS_ROOT } from './flows-path.ts';
import { nodeRedLogging } from './node-red-logging.ts';
import { platformNotifier, type SendNotification } from './notify.ts';
import { flowStorageModule } from './storage-module.ts';

const NODES_DIR = join(PACKAGE_ROOT, 'server', 'flows', 'nodes');

export interface FlowsOptions {
  /** Node-RED's log level in the server's log. Default 'warn'. */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** How flows send messages out. Default: webhooks, and `user` messages through the platform's channels (notify.ts). */
  notify?: SendNotification;
}

export interface FlowsDeps extends Omit<FlowBridgeDeps, 'owner' | 'notify'> {
  httpServer: Server;
  accounts: AccountStore;
  gate: SessionGate;
  signIn: (username: string, password: string) => Promise<SignInResult>;
  /** The server's state directory (Node-RED's userDir goes under it); ':memory:' uses a temp dir. */
  dataDir: string;
  logger: Logger;
  options?: FlowsOptions;
}

export interface RunningFlows {
  /** Answers requests under FLOWS_ROOT. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  bridge: FlowBridge;
  stop(): Promise<void>;
}

// Node-RED is one runtime per process (its modules hold their state): one server at a time runs it.
let runningInProcess = false;

/**
 * Starts Node-RED inside the server: the editor and admin API at /flows behind the platform's
 * sign-in, flows in the service database, and the domain nodes of ./nodes. Node-RED is imported
 * here, on demand: a server with flows off never loads it.
 */
export async function startFlows(deps: FlowsDeps): Promise<RunningFlows> {
  if (runningInProcess)
    throw new Error('Node-RED already runs in this process: one server per process may run flows');
  runningInProcess = true;
  const logger = deps.logger;
  const began = performance.now();
  const store = new FlowStore(deps.service.db);
  const owner = new FlowOwnerResolver(store, deps.accounts);
  const bridge = new FlowBridge({
    ...deps,
    owner,
    notify: deps.options?.notify ?? platformNotifier(deps.service.notify),
  });
  // Node-RED insists on a userDir (its package.json, node_modules for nodes installed from the
  // palette, which is off): under the data dir, or a temp dir for an in-memory server.
  const temporary = deps.dataDir === ':memory:';
  const userDir = temporary
    ? await mkdtemp(join(tmpdir(), 'aftercare-flows-'))
    : join(deps.dataDir, 'node-red');
  await mkdir(userDir, { recursive: true });
  // Read by Node-RED's registry for nodes installed by hand; none are (the palette is off).
  await writeFile(join(userDir, 'package.json'), '{"name":"aftercare-flows","private":true}\n');
  try {
    const RED = (await import('node-red')).default;
    RED.init(deps.httpServer, {
      httpAdminRoot: FLOWS_ROOT,
      httpNodeRoot: FLOWS_HTTP_ROOT,
      httpNodeMiddleware: signedInStaff(deps.gate),
      userDir,
      nodesDir: [NODES_DIR],
      storageModule: flowStorageModule(store, owner, logger),
      adminAuth: flowAdminAuth({
        accounts: deps.accounts,
        gate: deps.gate,
        signIn: deps.signIn,
        onRefused: (why) => logger.info(why, 'flow editor refused'),
      }),
      logging: nodeRedLogging(logger, deps.options?.logLevel ?? 'warn'),
      editorTheme: {
        page: { title: 'Aftercare flows' },
        header: { title: 'Aftercare flows' },
        projects: { enabled: false },
        tours: false,
      },
      externalModules: {
        autoInstall: false,
        palette: { allowInstall: false },
        modules: { allowInstall: false },
      },
      functionExternalModules: false,
      diagnostics: { enabled: false },
      runtimeState: { enabled: false },
      telemetry: { enabled: false },
      aftercare: bridge,
    });
    await RED.start();
    const app = express();
    app.disable('x-powered-by');
    app.use(FLOWS_HTTP_ROOT, RED.httpNode);
    app.use(FLOWS_ROOT, RED.httpAdmin);
    logger.info(
      {
        editor: FLOWS_ROOT,
        startMs: Math.round(performance.now() - began),
      },
      'flows started',
    );
    let stopped: Promise<void> | undefined;
    return {
      handle: (req, res) => app(req as Request, res as Response),
      bridge,
      stop: () => {
        stopped ??= (async () => {
          try {
            await RED.stop();
          } finally {
            bridge.close();
            runningInProcess = false;
            if (temporary) await rm(userDir, { recursive: true, force: true });
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    bridge.close();
    runningInProcess = false;
    if (temporary) await rm(userDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Whether flows have been deployed (a non-empty flow list in the service database). A server starts
 * Node-RED at boot only then; otherwise at the first request to /flows, since Node-RED holds some
 * 90 MB that a server nobody builds flows on need not carry.
 */
export async function flowsDeployed(db: FlowsDeps['service']['db']): Promise<boolean> {
  return (await new FlowStore(db).readFlows()).length > 0;
}

/** The flows' own HTTP endpoints (http in nodes) take a platform bearer token of a staff role. */
function signedInStaff(gate: SessionGate) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const verdict = match?.[1] ? await gate.resolve(match[1]).catch(() => undefined) : undefined;
    if (!verdict || 'refused' in verdict || verdict.role === 'customer') {
      res
        .status(401)
        .json({ error: 'sign in first: a platform bearer token', code: 'error.signInFirst', params: {} });
      return;
    }
    next();
  };
}
