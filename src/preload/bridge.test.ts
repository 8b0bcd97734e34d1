// The preload bridge: two frozen functions, allow-listed names, and never the raw IPC event.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../core/contract/names';
import { createBridge, EVENT_CHANNEL, INVOKE_CHANNEL, type BridgeIpc } from './bridge';

function memoryIpc() {
  const emitter = new EventEmitter();
  const calls: unknown[][] = [];
  const ipc: BridgeIpc = {
    invoke: (channel, ...args) => {
      calls.push([channel, ...args]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  };
  return { ipc, emitter, calls };
}

describe('createBridge', () => {
  it('exposes exactly invoke and on, frozen', () => {
    const bridge = createBridge(memoryIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards contract methods on the one channel and refuses any other name without calling main', async () => {
    const { ipc, calls } = memoryIpc();
    const bridge = createBridge(ipc);
    const method = METHOD_NAMES[0]!;
    await bridge.invoke(method, { a: 1 });
    expect(calls).toEqual([[INVOKE_CHANNEL, method, { a: 1 }]]);
    for (const bad of ['constructor', '__proto__', 'toString', 'shell.openExternal', '']) {
      expect(await bridge.invoke(bad), bad).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(await bridge.invoke(42 as unknown as string)).toMatchObject({ ok: false });
    expect(calls).toHaveLength(1);
  });

  it('subscribes only to contract events, hands over the payload alone, and unsubscribes', () => {
    const { ipc, emitter } = memoryIpc();
    const bridge = createBridge(ipc);
    const name = EVENT_NAMES[0]!;
    const seen: unknown[][] = [];
    const off = bridge.on(name, (...args) => seen.push(args));
    emitter.emit(EVENT_CHANNEL, { sender: 'the raw event' }, name, { x: 1 });
    emitter.emit(EVENT_CHANNEL, { sender: 'the raw event' }, 'some.other', { x: 2 });
    expect(seen).toEqual([[{ x: 1 }]]);
    off();
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(0);
    expect(() => bridge.on('not.an.event', () => undefined)).toThrow(/Unknown event/);
  });

  it('uses the channels main listens on (ipc.electron.ts imports electron, so its source is read)', () => {
    const main = readFileSync(join(import.meta.dirname, '..', 'main', 'transport', 'ipc.electron.ts'), 'utf8');
    expect(main).toContain(`export const INVOKE_CHANNEL = '${INVOKE_CHANNEL}';`);
    expect(main).toContain(`export const EVENT_CHANNEL = '${EVENT_CHANNEL}';`);
  });
});
