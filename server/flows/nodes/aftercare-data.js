// Aftercare's data nodes: telemetry, alarm events and health. They read through the server's flow
// bridge (server/flows/bridge.ts, handed over as RED.settings.aftercare), as the flows' owner.

/** "pump[*].fault, pressure.*" -> a test of a reading's meaning; empty: every reading. */
function readingMatcher(text) {
  const patterns = String(text || '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return (meaning) => patterns.length === 0 || patterns.some((re) => re.test(meaning));
}

module.exports = (RED) => {
  const bridge = () => RED.settings.aftercare;

  function TelemetryNode(config) {
    RED.nodes.createNode(this, config);
    const matches = readingMatcher(config.readings);
    const goodOnly = config.goodOnly === true;
    const off = bridge().onTelemetry((t) => {
      if (config.site && t.site !== config.site) return;
      if (config.station && t.station !== config.station) return;
      const values = {};
      for (const [meaning, reading] of Object.entries(t.values)) {
        if (!matches(meaning) || (goodOnly && reading.q !== 'good')) continue;
        values[meaning] = { value: reading.v, quality: reading.q };
      }
      if (Object.keys(values).length === 0) return;
      this.send({
        topic: `${t.site}/${t.station}`,
        payload: { site: t.site, station: t.station, ts: t.ts, state: t.state, values },
      });
    });
    this.on('close', off);
  }
  RED.nodes.registerType('aftercare telemetry', TelemetryNode);

  const CHANGES = {
    raised: 'raised',
    raised_again: 'raised',
    acknowledged: 'acknowledged',
    cleared: 'cleared',
  };
  const SEVERITY_RANK = { minor: 1, general: 2, major: 3 };

  function AlarmNode(config) {
    RED.nodes.createNode(this, config);
    const wanted = new Set(
      ['raised', 'acknowledged', 'cleared'].filter((change) => config[change] !== false),
    );
    const minRank = SEVERITY_RANK[config.severity] || 0;
    const off = bridge().onAlarm((event) => {
      const change = CHANGES[event.change];
      if (!change || !wanted.has(change) || !event.alarm) return;
      const alarm = event.alarm;
      if (config.site && alarm.site !== config.site) return;
      if (config.station && alarm.station !== config.station) return;
      if ((SEVERITY_RANK[alarm.severity] || 0) < minRank) return;
      this.send({ topic: change, payload: { change, alarm } });
    });
    this.on('close', off);
  }
  RED.nodes.registerType('aftercare alarm', AlarmNode);

  function HealthNode(config) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => {
      const asked = typeof msg.payload === 'object' && msg.payload !== null ? msg.payload : {};
      const filter = {};
      const site = config.site || asked.site;
      const station = config.station || asked.station;
      if (site) filter.site = site;
      if (station) filter.station = station;
      bridge()
        .health(filter)
        .then((stations) => {
          this.status({});
          msg.payload = stations;
          send(msg);
          done();
        })
        .catch((error) => {
          bridge().count('health', 'refused');
          this.status({ fill: 'red', shape: 'ring', text: error.code || 'error' });
          done(error);
        });
    });
  }
  RED.nodes.registerType('aftercare health', HealthNode);
};
