import type { Express } from 'express';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  match(path: string): boolean;
}

/**
 * Every route the server's express app has, as "METHOD /path": app-level routes as written,
 * routers by where they are mounted (/api, or /api/stations for the station routers).
 */
export function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const add = (prefix: string, route: NonNullable<Layer['route']>) => {
    for (const method of Object.keys(route.methods))
      out.push(`${method.toUpperCase()} ${prefix}${route.path}`);
  };
  const walk = (prefix: string, stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) add(prefix, layer.route);
      else if (layer.handle?.stack) walk(prefix, layer.handle.stack);
    }
  };
  for (const layer of (app as unknown as { router: { stack: Layer[] } }).router.stack) {
    if (layer.route) add('', layer.route);
    else if (layer.handle?.stack)
      walk(layer.match('/api/not-stations') ? '/api' : '/api/stations', layer.handle.stack);
  }
  return out;
}
