// Framing and handshake: byte-level behaviour of the TWS V100+ envelope.
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameBatch, FrameReader, FramingError, parseVersionOffer, splitFields } from './framing';
import { negotiateVersion } from './versions';

const hello = (text: string): Buffer => {
  const body = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), len, body]);
};

describe('handshake', () => {
  it('reads the captured @stoqey/ib hello byte by byte', () => {
    const bytes = Buffer.from('41504900000000097631303' + '02e2e313933', 'hex');
    expect(bytes.toString('latin1')).toBe('API\0\0\0\0\tv100..193');
    const r = new FrameReader();
    for (let i = 0; i < bytes.length - 1; i++) {
      r.push(bytes.subarray(i, i + 1));
      expect(r.next()).toBeNull();
    }
    r.push(bytes.subarray(bytes.length - 1));
    expect(r.next()).toEqual({ kind: 'hello', min: 100, max: 193, options: '' });
  });

  it('accepts connect options and single versions', () => {
    expect(parseVersionOffer('v100..193 +PACEAPI')).toEqual({ min: 100, max: 193, options: '+PACEAPI' });
    expect(parseVersionOffer('v176')).toEqual({ min: 176, max: 176, options: '' });
    expect(parseVersionOffer('x100..193')).toBeNull();
    expect(parseVersionOffer('v190..180')).toBeNull();
  });

  it('refuses connections that do not start with API\\0', () => {
    const r = new FrameReader();
    r.push(Buffer.from('GET / HTTP/1.1\r\n'));
    expect(() => r.next()).toThrow(FramingError);
  });

  it('negotiates the highest common version, never above 193', () => {
    expect(negotiateVersion(100, 193)).toBe(193);
    expect(negotiateVersion(100, 187)).toBe(187);
    expect(negotiateVersion(157, 178)).toBe(178);
    expect(negotiateVersion(100, 225)).toBe(193);
    expect(negotiateVersion(100, 176)).toBe(176);
    expect(negotiateVersion(194, 225)).toBeNull();
    expect(negotiateVersion(100, 150)).toBeNull();
  });
});

describe('frames', () => {
  it('encodes startApi exactly as captured (length 8, trailing NUL)', () => {
    const f = encodeFrame(['71', '2', '7', '']);
    expect(f.readUInt32BE(0)).toBe(8);
    expect(f.subarray(4).toString('hex')).toBe('3731003200370000');
  });

  it('reassembles frames split across chunks and several frames in one chunk', () => {
    const r = new FrameReader();
    r.push(hello('v100..193'));
    expect(r.next()?.kind).toBe('hello');
    const a = encodeFrame(['49', '1']);
    const b = encodeFrame(['9', '8', '11', '', 'AAPL', 'STK', '', '', '', '', 'SMART', '', 'USD', '', '', '', '', '', '']);
    const all = Buffer.concat([a, b, a]);
    r.push(all.subarray(0, 3));
    expect(r.next()).toBeNull();
    r.push(all.subarray(3, a.length + 10));
    expect(r.next()).toEqual({ kind: 'message', fields: ['49', '1'] });
    expect(r.next()).toBeNull();
    r.push(all.subarray(a.length + 10));
    const m = r.next();
    expect(m?.kind === 'message' && m.fields.length).toBe(19);
    expect(r.next()).toEqual({ kind: 'message', fields: ['49', '1'] });
    expect(r.next()).toBeNull();
  });

  it('keeps empty trailing fields but not the terminating NUL', () => {
    expect(splitFields('71\u00002\u00007\u0000\u0000')).toEqual(['71', '2', '7', '']);
    expect(splitFields('49\u00001\u0000')).toEqual(['49', '1']);
  });

  it('rejects frames above the 16 MB limit', () => {
    const r = new FrameReader();
    r.push(hello('v100..193'));
    r.next();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(0x1000000);
    r.push(len);
    expect(() => r.next()).toThrow(FramingError);
  });

  it('round-trips UTF-8 fields with byte lengths', () => {
    const f = encodeFrame(['4', '2', '-1', '2104', 'café']);
    const r = new FrameReader();
    r.push(hello('v100..193'));
    r.next();
    r.push(f);
    expect(r.next()).toEqual({ kind: 'message', fields: ['4', '2', '-1', '2104', 'café'] });
  });

  it('batches frames into one buffer identical to separate frames', () => {
    const b = new FrameBatch();
    b.add(['1', '6', '5', '1', '4.1', '12', '1']);
    b.add(['2', '6', '5', '0', '12']);
    expect(b.count).toBe(2);
    const buf = b.take();
    expect(buf.equals(Buffer.concat([encodeFrame(['1', '6', '5', '1', '4.1', '12', '1']), encodeFrame(['2', '6', '5', '0', '12'])]))).toBe(true);
    expect(b.count).toBe(0);
    expect(b.take().length).toBe(0);
  });
});
