/**
 * Namespaced logs for bug reports (`DEBUG=smets1:*`): `smets1:frame` prints every frame's hex with its direction
 * and clock time, `smets1:message` every decoded message, `smets1:drop` everything the link refused.
 */
import createDebug from 'debug';
import type { DeviceHost } from './host/deviceHost';

const frameLog = createDebug('smets1:frame');
const messageLog = createDebug('smets1:message');
const dropLog = createDebug('smets1:drop');

export function attachHexLog(host: DeviceHost): void {
  if (frameLog.enabled) {
    host.on('trace', (entry) =>
      frameLog(
        '%s %s %s',
        new Date(entry.at).toISOString(),
        entry.direction === 'in' ? '→' : '←',
        Buffer.from(entry.bytes).toString('hex').toUpperCase(),
      ),
    );
  }
  if (messageLog.enabled)
    host.on('message', (envelope) => messageLog('%s → %s %o', envelope.source, envelope.destination, envelope.message));
  if (dropLog.enabled) host.on('drop', (drop) => dropLog('%o', drop));
}
