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
 * in its own process) at QoS 0 and QoS 1.
 */
export async function broker(ctx: BenchContext): Promise<SectionResult> {
  const warmMs = ctx.quick ? 1000 : 1500;
  const windowMs = ctx.quick ? 2000 : 3000;

  /**
   * One set of clients per broker (process start-up is slow on 2 shared cores); each round times
   * a QoS 0 window, then a QoS 1 window. Subscribed at QoS 1, a subscriber gets each message at
   * the QoS it was published with.
   */
  const measureBroker = async (url: string, brokerPid: number) => {
    const clients: Worker<unknown>[] = [];
    try {
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
          }),
        ),
      );
      clients.push(...publishers);
      const count = async () =>
        (await Promise.all(subscribers.map((s) => s.call<MqttLoadCount>('count')))).reduce(
          (a, c) => a + c.count,
          0,
        );
      const window = async (qos: 0 | 1) => {
        await Promise.all(publishers.map((p) => p.call('setQos', qos)));
        await sleep(warmMs);
        const before = await count();
        const cpu = await cpuSeconds(brokerPid);
        const t0 = performance.now();
        await sleep(windowMs);
        const seconds = (performance.now() - t0) / 1000;
        const rate = ((await count()) - before) / seconds;
        return { rate, cpu: ((await cpuSeconds(brokerPid)) - cpu) / seconds };
      };
      return await repeat(ctx.rounds, async () => {
        const qos0 = await window(0);
        const qos1 = await window(1);
        return { qos0: qos0.rate, qos1: qos1.rate, cpu0: qos0.cpu };
      });
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
    }
  };

  const aedes = await startWorker<{ url: string }>('broker', {});
  let embedded: Awaited<ReturnType<typeof measureBroker>>;
  let aedesStats: BrokerStats;
  try {
    embedded = await measureBroker(aedes.info.url, aedes.pid);
    aedesStats = await aedes.call<BrokerStats>('stats');
  } finally {
    await aedes.stop();
  }
  const mosquitto = await startMosquitto();
  let reference: Awaited<ReturnType<typeof measureBroker>>;
  try {
    const [mosquittoPid] = await childPidsNamed('mosquitto');
    if (mosquittoPid === undefined) throw new Error('cannot find the mosquitto process');
    reference = await measureBroker(mosquitto.url, mosquittoPid);
  } finally {
    await mosquitto.stop();
  }
  const results: Figures[] = embedded.map((e, i) => {
    const r = reference[i]!;
    const figures = {
      aedes0: e.qos0,
      mosquitto0: r.qos0,
      aedes1: e.qos1,
      mosquitto1: r.qos1,
      aedesCpu0: e.cpu0,
      mosquittoCpu0: r.cpu0,
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
      `${PUBLISHERS} publisher processes (mqtt.js, up to 200 publishes awaiting their callback each) on their own topics, ${SUBSCRIBERS} subscriber processes on '#' (QoS 1, so each message arrives at its published QoS; one set of clients per broker, each round a QoS 0 window then a QoS 1 window); counted as messages the subscribers received in a ${windowMs / 1000} s window after ${warmMs / 1000} s (each message reaches all ${SUBSCRIBERS})`,
      `embedded broker's own counters over the whole section: ${fmt(aedesStats.messagesIn)} in, ${fmt(aedesStats.messagesOut)} out, ${aedesStats.floodGuardDeferrals} flood-guard deferrals, ${aedesStats.clientErrors} client errors`,
      "the embedded broker is startBroker (anonymous allowed, in-memory persistence) in its own node process; mosquitto is Debian's, persistence off; publishers, subscribers and broker share the 2 cores",
    ],
  };
}
