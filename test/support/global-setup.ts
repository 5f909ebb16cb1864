import { buildDashboards } from '../../dashboards/build.ts';
import { ensureSystemPackages } from './system-packages.ts';

/** A CJK font, so the zh-CN dashboards render in headless Chromium's screenshots (a server has none). */
const CJK_FONT = { 'fonts-wqy-zenhei': '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc' };
/** socat links two pseudo-terminals: the serial line of the Modbus RTU test (test/edge/rtu-serial.test.ts). */
const SOCAT = { socat: '/usr/bin/socat' };

export default async function setup(): Promise<void> {
  ensureSystemPackages();
  ensureSystemPackages(CJK_FONT);
  ensureSystemPackages(SOCAT);
  // Browser tests and the demo serve the built dashboards: build them once, fresh, per run.
  await buildDashboards();
}
