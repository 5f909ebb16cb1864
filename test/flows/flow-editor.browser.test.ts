import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { PEOPLE, signIn, startFlowsServer, until } from './support.ts';

// The flow editor in a real Chromium: an engineer signs in with the platform account, imports an
// example flow from the editor's library and deploys it; an operator's sign-in is refused.
let broker: RunningMosquitto;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startFlowsServer(broker.url, ':memory:');
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await broker?.stop();
});

async function openEditor(locale: string, width: number, who: { username: string; password: string }) {
  const context = await browser.newContext({ locale, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/flows/`);
  await page.locator('#node-dialog-login-username').fill(who.username);
  await page.locator('#node-dialog-login-password').fill(who.password);
  await page.locator('#node-dialog-login-submit').click();
  return page;
}

const deployedTypes = async () => {
  const token = await signIn(server, PEOPLE.engineer);
  const response = await fetch(`${server.url}/flows/flows`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { type: string }[]).map((n) => n.type);
};

test('an engineer signs in to the editor, imports an example from the library and deploys it', async () => {
  const page: Page = await openEditor('zh-CN', 1280, PEOPLE.engineer);
  await page.locator('#red-ui-header-button-deploy').waitFor({ timeout: 60_000 });
  // The palette shows the domain nodes, labelled in the reader's language.
  await page.locator('.red-ui-palette-node[data-palette-type="aftercare telemetry"]').waitFor();
  expect(
    await page.locator('.red-ui-palette-node[data-palette-type="aftercare ticket"]').textContent(),
  ).toContain('工单');
  await page.screenshot({ path: '/tmp/nodered-editor-zh.png' });

  // Import > Examples reads the example through the editor's library API, as the menu does.
  const imported = await page.evaluate(async () => {
    const w = globalThis as unknown as {
      $: { getJSON(url: string): Promise<unknown[]> };
      RED: { view: { importNodes(nodes: unknown[]): void } };
    };
    const flow = await w.$.getJSON('library/examples/flows/aftercare-flow-nodes/night-pressure-setpoint');
    w.RED.view.importNodes(flow);
    return flow.length;
  });
  expect(imported).toBeGreaterThan(3);
  await page.mouse.click(640, 400);
  await page.locator('#red-ui-header-button-deploy').click();
  await until('the example deployed', async () =>
    (await deployedTypes()).includes('aftercare command') ? true : undefined,
  );
  await page.screenshot({ path: '/tmp/nodered-editor-deployed.png' });
  const types = await deployedTypes();
  expect(types.filter((t) => t === 'inject')).toHaveLength(2);
  await page.context().close();
}, 180_000);

test('an operator cannot sign in to the editor; English and phone width show the sign-in', async () => {
  const page = await openEditor('en-US', 390, PEOPLE.operator);
  await page.locator('#node-dialog-login-failed').waitFor({ state: 'visible', timeout: 30_000 });
  expect(await page.locator('#red-ui-header-button-deploy').isVisible()).toBe(false);
  await page.screenshot({ path: '/tmp/nodered-editor-refused-390.png' });
  await page.context().close();
}, 120_000);
