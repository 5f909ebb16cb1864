// Aftercare's action nodes: tickets, remote commands and notifications. Each acts as the flows'
// owner (who deployed them) through the server's flow bridge (server/flows/bridge.ts), so a node
// can do only what its owner's role may do through the API.

/** The node's settings, overridden by what the message brings (msg.payload's fields). */
function merged(config, keys, payload) {
  const out = {};
  for (const key of keys) if (config[key] !== undefined && config[key] !== '') out[key] = config[key];
  if (typeof payload === 'object' && payload !== null) Object.assign(out, payload);
  return out;
}

/** Runs one bridge call for a message: the answer as msg.payload, or the error on the node and catch. */
function act(node, kind, call) {
  return (msg, send, done) => {
    Promise.resolve()
      .then(() => call(msg))
      .then((answer) => {
        node.status({ fill: 'green', shape: 'dot', text: answer?.outcome ?? 'ok' });
        msg.payload = answer;
        send(msg);
        done();
      })
      .catch((error) => {
        const bridge = node._aftercare;
        bridge.count(kind, error.name === 'FlowRefusal' ? 'refused' : 'failed');
        const text = error.code || (error.issues ? 'invalid' : 'error');
        node.status({ fill: 'red', shape: 'ring', text });
        done(error);
      });
  };
}

module.exports = (RED) => {
  function TicketNode(config) {
    RED.nodes.createNode(this, config);
    this._aftercare = RED.settings.aftercare;
    if (config.action === 'note') {
      this.on(
        'input',
        act(this, 'ticket', (msg) => this._aftercare.noteTicket(merged(config, ['note'], msg.payload))),
      );
    } else {
      const keys = ['site', 'station', 'fault', 'title', 'severity', 'note'];
      this.on(
        'input',
        act(this, 'ticket', (msg) => {
          const input = merged(config, keys, msg.payload);
          if (config.pump !== undefined && config.pump !== '' && input.pump === undefined)
            input.pump = Number(config.pump);
          return this._aftercare.openTicket(input);
        }),
      );
    }
  }
  RED.nodes.registerType('aftercare ticket', TicketNode);

  function CommandNode(config) {
    RED.nodes.createNode(this, config);
    this._aftercare = RED.settings.aftercare;
    this.on(
      'input',
      act(this, 'command', (msg) => {
        const input = merged(config, ['site', 'station', 'command'], msg.payload);
        for (const key of ['pump', 'value'])
          if (input[key] === undefined && config[key] !== undefined && config[key] !== '')
            input[key] = Number(config[key]);
        return this._aftercare.command(input);
      }),
    );
  }
  RED.nodes.registerType('aftercare command', CommandNode);

  function NotifyNode(config) {
    RED.nodes.createNode(this, config);
    this._aftercare = RED.settings.aftercare;
    this.on(
      'input',
      act(this, 'notify', (msg) => {
        const to = msg.to || config.to;
        if (to)
          // A platform user, through the channels the notification settings give them.
          return this._aftercare.notify({
            channel: 'user',
            to,
            subject: String(msg.topic || config.subject || ''),
            text: typeof msg.payload === 'string' ? msg.payload : JSON.stringify(msg.payload),
            dedupeKey: `flow:${this.id}:${msg._msgid}`,
            ...(msg.severity ? { severity: msg.severity } : {}),
          });
        return this._aftercare.notify({
          channel: 'webhook',
          url: msg.url || config.url,
          body: msg.payload,
          ...(msg.headers && typeof msg.headers === 'object' ? { headers: msg.headers } : {}),
        });
      }),
    );
  }
  RED.nodes.registerType('aftercare notify', NotifyNode);
};
