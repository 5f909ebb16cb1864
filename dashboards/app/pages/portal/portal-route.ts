/** The portal's own hash routes: #/portal, #/portal/request(?station=st1), #/portal/tickets/12. */
export type PortalRoute =
  | { page: 'home' }
  | { page: 'request'; station?: string }
  | { page: 'ticket'; id: number };

/** Any hash a customer opens is a portal page: a staff page's address lands on the portal's home. Pure. */
export function parsePortalRoute(hash: string): PortalRoute {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [first, second, third] = path.split('/').filter(Boolean);
  if (first !== 'portal') return { page: 'home' };
  if (second === 'request') {
    const station = new URLSearchParams(query).get('station');
    return station && /^[A-Za-z0-9_-]{1,64}$/.test(station)
      ? { page: 'request', station }
      : { page: 'request' };
  }
  if (second === 'tickets' && third && /^\d{1,9}$/.test(third)) return { page: 'ticket', id: Number(third) };
  return { page: 'home' };
}

export function portalHref(route: PortalRoute): string {
  switch (route.page) {
    case 'home':
      return '#/portal';
    case 'request':
      return route.station
        ? `#/portal/request?station=${encodeURIComponent(route.station)}`
        : '#/portal/request';
    case 'ticket':
      return `#/portal/tickets/${route.id}`;
  }
}
