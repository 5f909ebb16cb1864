// A first live page: each station's latest values and state, updated as telemetry arrives.
// The full dashboards are their own app; this page needs nothing but the server's own assets.
const stationsEl = document.getElementById('stations');
const connectionEl = document.getElementById('connection');
const stations = new Map();
// The dashboards' session (same origin): the API and the live stream both need a signed-in user.
const token = currentToken();
const headers = { Authorization: `Bearer ${token}` };

function currentToken() {
  try {
    const session = JSON.parse(localStorage.getItem('aftercare.session') ?? 'null');
    if (session && Date.parse(session.expiresAt) > Date.now()) return session.token;
  } catch {
    // a damaged entry is the same as none
  }
  return undefined;
}

if (!token) {
  connectionEl.textContent = 'not signed in';
  connectionEl.dataset.state = 'offline';
  stationsEl.innerHTML =
    '<p class="sign-in">Sign in on the <a href="/">dashboards</a> first, then come back to this page.</p>';
  throw new Error('not signed in');
}

function formatValue(entry) {
  if (entry.v === null || entry.v === undefined) return '—';
  if (typeof entry.v === 'boolean') return entry.v ? 'on' : 'off';
  const digits = Math.abs(entry.v) >= 100 ? 1 : 2;
  return `${entry.v.toFixed(digits)} ${entry.unit ?? ''}`.trim();
}

function card(id) {
  let el = document.getElementById(`station-${id}`);
  if (!el) {
    el = document.createElement('section');
    el.className = 'station';
    el.id = `station-${id}`;
    el.setAttribute('aria-label', `Station ${id}`);
    el.innerHTML = `<h2><span class="name"></span><span class="state"></span></h2><div class="meta"></div><table><tbody></tbody></table>`;
    el.querySelector('.name').textContent = id;
    stationsEl.append(el);
  }
  return el;
}

function render(id) {
  const station = stations.get(id);
  const el = card(id);
  const ageSeconds = station.ts ? Math.max(0, (Date.now() - station.ts) / 1000) : Number.POSITIVE_INFINITY;
  const state = ageSeconds > 10 && station.state === 'ok' ? 'stale' : station.state;
  el.dataset.state = state;
  el.querySelector('.state').textContent = state;
  el.querySelector('.meta').textContent = `site ${station.site} · seq ${station.seq ?? '—'} · ${
    Number.isFinite(ageSeconds) ? `${ageSeconds.toFixed(0)} s ago` : 'no data'
  }`;
  const rows = Object.entries(station.values ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const body = el.querySelector('tbody');
  if (body.children.length !== rows.length) {
    body.innerHTML = rows
      .map(() => '<tr><td class="meaning"></td><td class="value"></td><td class="q"></td></tr>')
      .join('');
  }
  rows.forEach(([meaning, entry], i) => {
    const cells = body.children[i].children;
    cells[0].textContent = meaning;
    cells[1].textContent = formatValue(entry);
    cells[2].textContent = entry.q;
    cells[2].dataset.q = entry.q;
  });
}

function apply(update) {
  stations.set(update.station, { ...stations.get(update.station), ...update });
  render(update.station);
}

const response = await fetch('/api/stations', { headers });
const list = response.ok ? await response.json() : [];
for (const { station, site } of list) {
  const detail = await fetch(
    `/api/stations/${encodeURIComponent(station)}?site=${encodeURIComponent(site)}`,
    {
      headers,
    },
  );
  if (detail.ok) apply(await detail.json());
}
const sites = new Set(list.map((s) => s.site));

const socket = window.io({ auth: { token } });
socket.on('connect', () => {
  connectionEl.textContent = 'live';
  connectionEl.dataset.state = 'live';
  // A site room also brings stations that appear after the page loaded.
  for (const site of sites) socket.emit('subscribe', { site });
});
socket.on('disconnect', () => {
  connectionEl.textContent = 'offline: reconnecting…';
  connectionEl.dataset.state = 'offline';
});
socket.on('station:update', apply);
setInterval(() => {
  for (const id of stations.keys()) render(id);
}, 1000);
