// The event bus: services emit contract events here; every transport fans them out to its subscribers.
import { events, type EventName, type EventPayload } from '../../core/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Listen to every event; returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** The last payload of each event, so a client that connects late sees the current state. */
  latest(): Array<{ name: EventName; payload: unknown }>;
}

export function createEventBus(options: { validate?: boolean; onListenerError?: (e: unknown) => void } = {}): EventBus {
  const listeners = new Set<EventListener>();
  const last = new Map<EventName, unknown>();
  return {
    emit(name, payload) {
      // Validation is on in tests and dev so a service can never push an off-contract payload unnoticed.
      if (options.validate) events[name].parse(payload);
      last.set(name, payload);
      for (const l of listeners) {
        try {
          l(name, payload);
        } catch (e) {
          options.onListenerError?.(e);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    latest() {
      return [...last.entries()].map(([name, payload]) => ({ name, payload }));
    },
  };
}
