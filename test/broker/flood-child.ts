/**
 * Child processes for flood.test.ts (run with `node bin/run-ts.js test/broker/flood-child.ts ...`):
 *   publish <url> <user> <password>    floods QoS 0 telemetry until killed
 *   subscribe <url> <user> <password>  subscribes to the flood, consumes slowly, prints counts; it
 *                                      connects only once it reads a line on stdin, so the test can
 *                                      start the next one ahead and restart within milliseconds
 * Both use core/mqtt/connect.ts (TCP_NODELAY on the client side).
 */
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { topics } from '../../core/telemetry/topics.ts';

const [role, url, username, password] = process.argv.slice(2);
if (!role || !url || !username || !password) {
  console.error('usage: flood-child.ts publish|subscribe <url> <user> <password>');
  process.exit(2);
}

if (role === 'subscribe') {
  console.log('loaded');
  await new Promise((resolve) => process.stdin.once('data', resolve));
}

const client = connectMqtt(url, {
  username,
  password,
  reconnectPeriod: 200,
  clientId: `${username}-${role}-${process.pid}`,
});
client.on('error', (error) => console.error(`${role} ${process.pid}: ${error.message}`));

if (role === 'publish') {
  const payload = Buffer.from('0123456789');
  const topic = topics.telemetry('flood', `st${process.pid % 100}`);
  let flooding = false;
  // Small QoS 0 packets as fast as the socket takes them: many packets per TCP read on the broker.
  const flood = () => {
    if (!client.connected) {
      flooding = false;
      return;
    }
    for (let i = 0; i < 500; i++) client.publish(topic, payload, { qos: 0 });
    setImmediate(flood);
  };
  client.on('connect', () => {
    if (!flooding) {
      flooding = true;
      flood();
    }
  });
} else {
  let received = 0;
  client.on('connect', () => {
    client.subscribe(topics.siteTree('flood'), { qos: 0 }, (error) => {
      if (!error) console.log('subscribed');
    });
  });
  // A consumer that cannot keep up: every message costs ~20 µs, so under a flood the broker's
  // socket to it fills and aedes holds deliveries waiting for it to drain.
  client.on('message', () => {
    received++;
    const until = performance.now() + 0.02;
    while (performance.now() < until) {}
  });
  setInterval(() => console.log(`received ${received}`), 100);
}
