// TWS framing: the "API\0" handshake prefix, then 4-byte big-endian length + NUL-terminated fields.

export const MAX_FRAME = 0xffffff;
const API_PREFIX = Buffer.from('API\0', 'latin1');

export class FramingError extends Error {}

export type Inbound = { kind: 'hello'; min: number; max: number; options: string } | { kind: 'message'; fields: string[] };

/** Splits one frame payload into its fields (the trailing NUL does not make an extra field). */
export function splitFields(payload: string): string[] {
  const fields = payload.split('\0');
  if (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/** Parses the client's version offer: "v100..193", "v176" and an optional " +PACEAPI" style suffix. */
export function parseVersionOffer(text: string): { min: number; max: number; options: string } | null {
  const m = /^v(\d+)(?:\.\.(\d+))?(?:\s+(.*))?$/.exec(text.trim());
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] !== undefined ? Number(m[2]) : min;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return null;
  return { min, max, options: m[3] ?? '' };
}

/** Accumulates socket bytes and yields complete inbound items. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private greeted = false;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  get buffered(): number {
    return this.buf.length;
  }

  /** The next complete item, or null when more bytes are needed. Throws FramingError on bad input. */
  next(): Inbound | null {
    if (!this.greeted) {
      if (this.buf.length < 4) {
        if (!API_PREFIX.subarray(0, this.buf.length).equals(this.buf)) throw new FramingError('Connection did not start with API\\0');
        return null;
      }
      if (!this.buf.subarray(0, 4).equals(API_PREFIX)) throw new FramingError('Connection did not start with API\\0 (pre-v100 clients are not supported)');
      if (this.buf.length < 8) return null;
      const len = this.buf.readUInt32BE(4);
      if (len > 1024) throw new FramingError(`Version offer too long (${len} bytes)`);
      if (this.buf.length < 8 + len) return null;
      const text = this.buf.subarray(8, 8 + len).toString('utf8').replace(/\0+$/, '');
      this.buf = this.buf.subarray(8 + len);
      this.greeted = true;
      const offer = parseVersionOffer(text);
      if (!offer) throw new FramingError(`Malformed version offer "${text}"`);
      return { kind: 'hello', ...offer };
    }
    if (this.buf.length < 4) return null;
    const len = this.buf.readUInt32BE(0);
    if (len > MAX_FRAME) throw new FramingError(`Frame of ${len} bytes exceeds the ${MAX_FRAME} limit`);
    if (this.buf.length < 4 + len) return null;
    const payload = this.buf.subarray(4, 4 + len).toString('utf8');
    this.buf = this.buf.subarray(4 + len);
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return { kind: 'message', fields: splitFields(payload) };
  }
}

/** One frame for a list of fields. */
export function encodeFrame(fields: readonly string[]): Buffer {
  const payload = fields.join('\0') + '\0';
  const n = Buffer.byteLength(payload, 'utf8');
  const out = Buffer.allocUnsafe(4 + n);
  out.writeUInt32BE(n, 0);
  out.write(payload, 4, 'utf8');
  return out;
}

/** Collects many frames and emits them as one buffer (one socket write per batch). */
export class FrameBatch {
  private parts: string[] = [];
  private lengths: number[] = [];
  private total = 0;
  count = 0;

  add(fields: readonly string[]): void {
    const payload = fields.join('\0') + '\0';
    const n = Buffer.byteLength(payload, 'utf8');
    this.parts.push(payload);
    this.lengths.push(n);
    this.total += 4 + n;
    this.count++;
  }

  get bytes(): number {
    return this.total;
  }

  /** The batch as one buffer; the batch is empty afterwards. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.total);
    let off = 0;
    for (let i = 0; i < this.parts.length; i++) {
      const n = this.lengths[i] ?? 0;
      out.writeUInt32BE(n, off);
      off += 4;
      off += out.write(this.parts[i] ?? '', off, 'utf8');
    }
    this.parts = [];
    this.lengths = [];
    this.total = 0;
    this.count = 0;
    return out;
  }
}

/** The server's first frame: exactly two fields, version and connection time. */
export function encodeServerHello(version: number, connectionTime: string): Buffer {
  return encodeFrame([String(version), connectionTime]);
}
