// Test harness: drives @stoqey/ib's own Encoder and Decoder at a chosen server version, without sockets.
import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder';

export interface Decoded {
  events: { name: string; args: unknown[] }[];
  errors: { message: string; code: number; reqId: number | undefined }[];
  infos: { message: string; code: number }[];
}

/** Decodes server messages (field lists) with the real @stoqey/ib decoder at server version sv. */
export function decodeWithStoqey(sv: number, messages: string[][]): Decoded {
  const out: Decoded = { events: [], errors: [], infos: [] };
  const decoder = new Decoder({
    serverVersion: sv,
    emitEvent: (name: string, ...args: unknown[]) => out.events.push({ name, args }),
    emitError: (message: string, code: number, reqId?: number) => out.errors.push({ message, code, reqId }),
    emitInfo: (message: string, code: number) => out.infos.push({ message, code }),
  } as never);
  for (const m of messages) {
    decoder.enqueueMessage(m);
    decoder.process();
  }
  return out;
}

function flatten(tokens: unknown[], acc: unknown[] = []): unknown[] {
  for (const t of tokens) {
    if (Array.isArray(t)) flatten(t, acc);
    else acc.push(t);
  }
  return acc;
}

/** The fields @stoqey/ib would put on the wire for one API call at server version sv. */
export function encodeWithStoqey(sv: number, call: (encoder: Encoder) => void): string[][] {
  const sent: string[][] = [];
  const errors: string[] = [];
  const encoder = new Encoder({
    serverVersion: sv,
    sendMsg: (...args: unknown[]) => {
      const flat = flatten(args).map((v) => (v === true ? '1' : v === false ? '0' : v === undefined || v === null ? '' : String(v)));
      sent.push(flat);
    },
    emitError: (msg: string) => errors.push(msg),
  } as never);
  call(encoder);
  if (errors.length > 0) throw new Error(`stoqey encoder refused: ${errors.join('; ')}`);
  return sent;
}
