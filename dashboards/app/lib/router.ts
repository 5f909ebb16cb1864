import { isId } from '../../../core/ids.ts';

/** Client-side routes live in the URL hash (#/station/st1), so any static server can serve the app. */
export type Route =
  | { page: 'overview' }
  | { page: 'station'; station: string; range?: string; query?: string }
  | { page: 'alarms' }
  | { page: 'service' }
  | { page: 'ticket'; id: number }
  | { page: 'service-record'; id: number }
  | { page: 'engineer' }
  | { page: 'calendar' }
  | { page: 'quality'; action?: number }
  | { page: 'reports' }
  | { page: 'admin'; section?: string };

/** The route of a location hash; anything unknown is the overview. Pure. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'station' && second && isId(second)) {
    // The charts' range and refresh make a view worth sharing: #/station/st2?range=30d&refresh=1m
    // (or the older #/station/st2/30d).
    const route: Route = { page: 'station', station: second };
    if (third && /^\d{1,3}[mhd]$/.test(third)) route.range = third;
    if (query) route.query = query;
    return route;
  }
  if (first === 'admin')
    return second && /^[a-z-]{1,32}$/.test(second) ? { page: 'admin', section: second } : { page: 'admin' };
  if (first === 'service' && second && /^\d+$/.test(second))
    return third === 'record'
      ? { page: 'service-record', id: Number(second) }
      : { page: 'ticket', id: Number(second) };
  if (first === 'quality')
    return second && /^\d{1,9}$/.test(second)
      ? { page: 'quality', action: Number(second) }
      : { page: 'quality' };
  if (
    first === 'alarms' ||
    first === 'service' ||
    first === 'engineer' ||
    first === 'calendar' ||
    first === 'reports'
  ) {
    return { page: first };
  }
  return { page: 'overview' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'station':
      return `#/station/${encodeURIComponent(route.station)}${route.range ? `/${route.range}` : ''}${route.query ? `?${route.query}` : ''}`;
    case 'ticket':
      return `#/service/${route.id}`;
    case 'service-record':
      return `#/service/${route.id}/record`;
    case 'admin':
      return route.section ? `#/admin/${route.section}` : '#/admin';
    case 'quality':
      return route.action ? `#/quality/${route.action}` : '#/quality';
    default:
      return `#/${route.page}`;
  }
}
