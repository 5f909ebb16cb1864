import { describe, expect, test } from 'vitest';
import { ModbusConnectionError } from '../../edge/modbus-source.ts';
import { createRtuLine } from '../../edge/rtu-line.ts';

// No serial hardware here: this checks the RTU shell's failure path on a real (missing) device node.
// Its line discipline is tested through SerialLineArbiter with an injected transport.
describe('RTU line over a serial port that does not exist', () => {
  test('reads fail with ModbusConnectionError, the unit backs off, close is clean', async () => {
    const line = createRtuLine({
      path: '/dev/aftercare-no-such-tty',
      baudRate: 19200,
      parity: 'even',
      dataBits: 8,
      stopBits: 1,
      timeoutMs: 100,
      backoffMs: 1000,
      maxBackoffMs: 5000,
    });
    const unit = line.arbiter.sourceFor(3);
    const first = await unit.read('input', 0, 2).catch((e: Error) => e);
    expect(first).toBeInstanceOf(ModbusConnectionError);
    expect((first as Error).message).toContain('/dev/aftercare-no-such-tty');
    await unit.read('input', 0, 2).catch(() => undefined);
    const started = Date.now();
    const refused = await unit.read('input', 0, 2).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ModbusConnectionError);
    expect(Date.now() - started).toBeLessThan(50);
    expect(line.arbiter.stats()[3]).toMatchObject({ sent: 2, timeouts: 2, refused: 1 });
    await line.close();
  });
});
