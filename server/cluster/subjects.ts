import { TOPIC_ROOT } from '../../core/telemetry/topics.ts';

/**
 * How MQTT topics become partitioned NATS subjects. nats-server's MQTT gateway turns
 * `aftercare/v1/<site>/<station>/telemetry` into the subject `aftercare.v1.<site>.<station>.telemetry`;
 * the account mapping from `natsPartitionMappings` rewrites it, as it is published, to
 * `aftercare.p.<k>.v1.<site>.<station>.telemetry` with k = partition(N, site, station): a hash of the
 * site and station, so one station always lands in one partition, in order.
 */
export const PARTITIONED_ROOT = 'aftercare.p';

/** The JetStream stream that keeps telemetry and events until an instance has stored them. */
export const INGEST_STREAM = 'AFTERCARE_INGEST';

/** Every partitioned subject (the stream's subjects). */
export const allPartitionSubjects = `${PARTITIONED_ROOT}.*.v1.*.*.*`;

/** One partition's subjects (its durable consumer's filter). */
export const partitionSubjects = (partition: number) => `${PARTITIONED_ROOT}.${partition}.v1.*.*.*`;

/** The durable consumer of one partition. */
export const partitionConsumer = (partition: number) => `ingest-p${partition}`;

/**
 * The mapping block for nats-server's configuration (account level, so it applies to MQTT clients):
 * the partition count here must equal the servers' `--partitions`.
 */
export function natsPartitionMappings(partitions: number): string {
  const target = (leaf: string) =>
    `"${PARTITIONED_ROOT}.{{partition(${partitions},1,2)}}.v1.{{wildcard(1)}}.{{wildcard(2)}}.${leaf}"`;
  return [
    'mappings = {',
    `  "aftercare.v1.*.*.telemetry": ${target('telemetry')}`,
    `  "aftercare.v1.*.*.events": ${target('events')}`,
    '}',
  ].join('\n');
}

/** `aftercare.p.3.v1.north.st-7.telemetry` -> `aftercare/v1/north/st-7/telemetry`; undefined when not one. */
export function topicOfSubject(subject: string): string | undefined {
  const parts = subject.split('.');
  if (parts.length !== 7 || parts[0] !== 'aftercare' || parts[1] !== 'p' || parts[3] !== 'v1')
    return undefined;
  return `${TOPIC_ROOT}/${parts[4]}/${parts[5]}/${parts[6]}`;
}
