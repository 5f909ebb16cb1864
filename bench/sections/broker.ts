import type { BrokerStats } from '../../broker/index.ts';
import { startMosquitto } from '../../test/support/mosquitto.ts';
import { childPidsNamed, cpuSeconds, startWorker, type Worker } from '../child.ts';
import { type BenchContext, repeat, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt, median, rounds } from '../stats.ts';
import type { MqttLoadCount } from '../workers/mqtt-load.ts';

const PUBLISHERS = 4;
const SUBSCRIBERS = 4;
const PAYLOAD_BYTES = 300;

interface Figures {
  aedes0: number;
  mosquitto0: number;
  aedes1: number;
  mosquitto1: number;
  /** Broker CPU (cores) at QoS 0. */
  aedesCpu0: number;
  mosquittoCpu0: number;
}

/**
 * Messages per second delivered to subscribers by the embedded broker (startBroker, aedes, in a
 * process of its own) and by Debian's mosquitto, with the same publishers and subscribers (each
 * in its own process) at QoS 0 and QoS 1. Both brokers and both sets of clients run side by side
 * and take turns within every round (the idle set's publishers paused), so each pair of windows
 * sees the same CPU situation on the shared cores.
 */
export async function broker(ctx: BenchContext): Promise<SectionResult> {
  const warmMs = ctx.quick ? 1000 : 1500;
  const windowMs = ctx.quick ? 2000 : 3000;
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const aedes = await startWorker<{ url: string }>('broker', {});
    cleanups.unshift(() => aedes.stop());
    const mosquitto = await startMosquitto();
    cleanups.unshift(() => mosquitto.stop());
    const [mosquittoPid] = await childPidsNamed('mosquitto');
    if (mosquittoPid === undefined) throw new Error('cannot find the mosquitto process');
    const embeddedRig = await startRig(aedes.info.url, aedes.pid);
    cleanups.unshift(() => embeddedRig.stop());
    const referenceRig = await startRig(mosquitto.url, mosquittoPid);
    cleanups.unshift(() => referenceRig.stop());

    const window = (rig: Rig, qos: 0 | 1) => rig.window(qos, warmMs, windowMs);
    const measured = await repeat(ctx.rounds, async (round) => {
      // Who goes first alternates, so neither broker always gets the fresher machine.
      const pair = async (qos: 0 | 1) => {
        if (round % 2 === 0) {
          const e = await window(embeddedRig, qos);
          return { e, r: await window(referenceRig, qos) };
        }
        const r = await window(referenceRig, qos);
        return { e: await window(embeddedRig, qos), r };
      };
      const qos0 = await pair(0);
      const qos1 = await pair(1);
      return { qos0, qos1 };
    });
    const aedesStats = await aedes.call<BrokerStats>('stats');
    return report(measured, aedesStats, warmMs, windowMs);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

interface WindowResult {
  /** Messages the subscribers received per second. */
  rate: number;
  /** Received / (published x subscribers): 1 when nothing was lost on the way. */
  delivered: number;
  /** Broker CPU in cores. */
  cpu: number;
}

interface Rig {
  window(qos: 0 | 1, warmMs: number, windowMs: number): Promise<WindowResult>;
  stop(): Promise<void>;
}

/** Subscribers and (paused) publishers of one broker. */
async function startRig(url: string, brokerPid: number): Promise<Rig> {
  const clients: Worker<unknown>[] = [];
  const stop = async () => {
    await Promise.all(clients.map((c) => c.stop()));
  };
  try {
    // Subscribed at QoS 1, a subscriber gets each message at the QoS it was published with.
    const subscribers = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, () =>
        startWorker('mqtt-load', { url, role: 'subscriber', topic: '#', qos: 1 }),
      ),
    );
    clients.push(...subscribers);
    const publishers = await Promise.all(
      Array.from({ length: PUBLISHERS }, (_, i) =>
        startWorker('mqtt-load', {
          url,
          role: 'publisher',
          topic: `bench/p${i}/telemetry`,
          qos: 0,
          payloadBytes: PAYLOAD_BYTES,
          paused: true,
        }),
      ),
    );
    clients.push(...publishers);
    const total = async (workers: Worker<unknown>[]) =>
      (await Promise.all(workers.map((w) => w.call<MqttLoadCount>('count')))).reduce(
        (a, c) => a + c.count,
        0,
      );
    return {
      stop,
      async window(qos, warmMs, windowMs) {
        await Promise.all(publishers.map((p) => p.call('setQos', qos)));
        await Promise.all(publishers.map((p) => p.call('setActive', true)));
        try {
          await sleep(warmMs);
          const [received0, published0] = await Promise.all([total(subscribers), total(publishers)]);
          const cpu0 = await cpuSeconds(brokerPid);
          const t0 = performance.now();
          await sleep(windowMs);
          const [received1, published1] = await Promise.all([total(subscribers), total(publishers)]);
          const seconds = (performance.now() - t0) / 1000;
          const cpu = ((await cpuSeconds(brokerPid)) - cpu0) / seconds;
          const received = received1 - received0;
          return {
            rate: received / seconds,
            delivered: received / ((published1 - published0) * SUBSCRIBERS),
            cpu,
          };
        } finally {
          await Promise.all(publishers.map((p) => p.call('setActive', false)));
          // What is still queued in the broker and sockets drains before the other broker's turn.
          await sleep(500);
        }
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Measured = Array<Record<'qos0' | 'qos1', { e: WindowResult; r: WindowResult }>>;

function report(
  measured: Measured,
  aedesStats: BrokerStats,
  warmMs: number,
  windowMs: number,
): SectionResult {
  const results: Figures[] = measured.map(({ qos0, qos1 }, i) => {
    const figures = {
      aedes0: qos0.e.rate,
      mosquitto0: qos0.r.rate,
      aedes1: qos1.e.rate,
      mosquitto1: qos1.r.rate,
      aedesCpu0: qos0.e.cpu,
      mosquittoCpu0: qos0.r.cpu,
    };
    console.log(
      `  round ${i + 1}: QoS 0 embedded ${fmt(figures.aedes0)} msg/s, mosquitto ${fmt(figures.mosquitto0)} msg/s; ` +
        `QoS 1 embedded ${fmt(figures.aedes1)} msg/s, mosquitto ${fmt(figures.mosquitto1)} msg/s; ` +
        `broker CPU at QoS 0: embedded ${fmt(figures.aedesCpu0, 2)} cores, mosquitto ${fmt(figures.mosquittoCpu0, 2)}`,
    );
    return figures;
  });
  const m = (key: keyof Figures) => median(results.map((r) => r[key]));
  const ratio0 = m('aedes0') / m('mosquitto0');
  const ratio1 = m('aedes1') / m('mosquitto1');
  return {
    section: 'broker',
    metric: `msg/s delivered, ${PUBLISHERS} pub / ${SUBSCRIBERS} sub, ${PAYLOAD_BYTES} B`,
    measured: `QoS 0 ${fmt(m('aedes0'))}; QoS 1 ${fmt(m('aedes1'))}`,
    reference: `mosquitto QoS 0 ${fmt(m('mosquitto0'))}; QoS 1 ${fmt(m('mosquitto1'))}`,
    ratio: ratio0,
    target: '>= 0.7x mosquitto at QoS 0',
    pass: ratio0 >= 0.7,
    notes: [
      `QoS 1 ratio ${fmt(ratio1, 2)} (no target)`,
      `broker CPU at QoS 0 (median, cores): embedded ${fmt(m('aedesCpu0'), 2)}, mosquitto ${fmt(m('mosquittoCpu0'), 2)}; CPU per 1000 messages: embedded ${fmt((m('aedesCpu0') / m('aedes0')) * 1e6, 1)} ms, mosquitto ${fmt((m('mosquittoCpu0') / m('mosquitto0')) * 1e6, 1)} ms. When mosquitto sits well under one core, the node clients (8 processes on 2 cores) set the pace, not the broker`,
      `rounds QoS 0 embedded: ${rounds(results.map((r) => r.aedes0))}, mosquitto: ${rounds(results.map((r) => r.mosquitto0))}`,
      `rounds QoS 1 embedded: ${rounds(results.map((r) => r.aedes1))}, mosquitto: ${rounds(results.map((r) => r.mosquitto1))}`,
      `delivered / (published x ${SUBSCRIBERS}) at QoS 0 (median; 1 = nothing lost): embedded ${fmt(median(measured.map((r) => r.qos0.e.delivered)), 3)}, mosquitto ${fmt(median(measured.map((r) => r.qos0.r.delivered)), 3)}; at QoS 1: embedded ${fmt(median(measured.map((r) => r.qos1.e.delivered)), 3)}, mosquitto ${fmt(median(measured.map((r) => r.qos1.r.delivered)), 3)}`,
      `${PUBLISHERS} publisher processes (mqtt.js, up to 200 publishes awaiting their callback each) on their own topics, ${SUBSCRIBERS} subscriber processes on '#' (QoS 1, so each message arrives at its published QoS); one set of clients per broker, both sets and both brokers running side by side; each round times QoS 0 on one broker then the other, then QoS 1 likewise (the idle set's publishers paused; who goes first alternates by round); counted as messages the subscribers received in a ${windowMs / 1000} s window after ${warmMs / 1000} s (each message reaches all ${SUBSCRIBERS})`,
      `embedded broker's own counters over the whole section: ${fmt(aedesStats.messagesIn)} in, ${fmt(aedesStats.messagesOut)} out, ${aedesStats.floodGuardDeferrals} flood-guard deferrals, ${aedesStats.clientErrors} client errors`,
      "the embedded broker is startBroker (anonymous allowed, in-memory persistence) in its own node process; mosquitto is Debian's, persistence off; publishers, subscribers and broker share the 2 cores",
    ],
  };
}
