import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from '../../core/log.ts';
import type { IngestHandler } from '../ingest/pipeline.ts';
import { INGEST_STREAM, partitionConsumer, partitionSubjects, topicOfSubject } from './subjects.ts';

export interface PartitionConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  partition: number;
  /** The ingest pipeline: resolves once the message's points are durably stored. */
  handle: IngestHandler;
  /** A delivery not acknowledged for this long is delivered again. */
  ackWaitMs: number;
  /** Most deliveries handled at once (their acks outstanding) before the server stops sending. */
  maxAckPending: number;
  logger: Logger;
}

export interface PartitionConsumer {
  /** Deliveries being handled. */
  inFlight(): number;
  /**
   * Stops pulling; `drain` waits (up to `graceMs`) for what is being handled to be stored and
   * acknowledged, otherwise it is abandoned unacknowledged for the next owner.
   */
  stop(drain: boolean, graceMs?: number): Promise<void>;
}

/**
 * Consumes one partition: the stream is a work queue (an acknowledged message is gone), and taking a
 * partition recreates its durable consumer, so it starts at the oldest message nobody acknowledged,
 * in stream order: what the previous owner had in hand when it died comes first again at once,
 * instead of after its ack wait and behind newer messages. Messages are handed to the pipeline in
 * delivery order (its ordering checks run synchronously on the call) and each is acknowledged once
 * its points are stored; a store that is slow keeps its messages "in progress" rather than let them
 * be delivered twice.
 */
export async function startPartitionConsumer(options: PartitionConsumerOptions): Promise<PartitionConsumer> {
  const { js, jsm, partition, logger } = options;
  const name = partitionConsumer(partition);
  await jsm.consumers.delete(INGEST_STREAM, name).catch(() => false);
  await jsm.consumers.add(INGEST_STREAM, {
    durable_name: name,
    filter_subject: partitionSubjects(partition),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs),
    max_ack_pending: options.maxAckPending,
  });
  const consumer = await js.consumers.get(INGEST_STREAM, name);
  const messages = await consumer.consume({ max_messages: Math.min(256, options.maxAckPending) });
  const pending = new Set<JsMsg>();
  const abandon = new AbortController();
  let drained: (() => void) | undefined;

  const settled = (message: JsMsg) => {
    pending.delete(message);
    if (!abandon.signal.aborted) message.ack();
    if (pending.size === 0) drained?.();
  };

  const loop = (async () => {
    for await (const message of messages) {
      const topic = topicOfSubject(message.subject);
      if (!topic) {
        // Not a partitioned telemetry subject: nothing here can read it.
        message.term();
        continue;
      }
      pending.add(message);
      options.handle(topic, message.data, abandon.signal).then(
        () => settled(message),
        (error: unknown) => {
          if (abandon.signal.aborted) return void pending.delete(message);
          logger.error({ err: error, topic }, 'ingest failed on a message');
          settled(message);
        },
      );
    }
  })().catch((error: unknown) => logger.warn({ err: error, partition }, 'partition consumer ended'));

  const keepWorking = setInterval(
    () => {
      for (const message of pending) message.working();
    },
    Math.max(500, options.ackWaitMs / 3),
  );

  return {
    inFlight: () => pending.size,
    async stop(drain, graceMs = 10_000) {
      await messages.close().catch(() => {});
      await loop;
      if (drain && pending.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      abandon.abort();
      clearInterval(keepWorking);
    },
  };
}
