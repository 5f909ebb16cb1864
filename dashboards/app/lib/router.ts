import { isId } from '../../../core/ids.ts';

/** Client-side routes live in the URL hash (#/station/st1), so any static server can serve the app. */
export type Route =
  | { page: 'overview' }
  | { page: 'station'; station: string; range?: string }
  | { page: 'alarms' }
  | { page: 'service' }
  | { page: 'ticket'; id: number }
  | { page: 'engineer' }
  | { page: 'calendar' };

/** The route of a location hash; anything unknown is the overview. Pure. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'station' && second && isId(second)) {
    // An optional chart range makes a view worth sharing: #/station/st2/30d.
    return third && /^\d{1,3}[mhd]$/.test(third)
      ? { page: 'station', station: second, range: third }
      : { page: 'station', station: second };
  }
  if (first === 'service' && second && /^\d+$/.test(second)) return { page: 'ticket', id: Number(second) };
  if (first === 'alarms' || first === 'service' || first === 'engineer' || first === 'calendar') {
    return { page: first };
  }
  return { page: 'overview' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'station':
      return `#/station/${encodeURIComponent(route.station)}${route.range ? `/${route.range}` : ''}`;
    case 'ticket':
      return `#/service/${route.id}`;
    default:
      return `#/${route.page}`;
  }
}
