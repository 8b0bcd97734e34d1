import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_NAMES, METHOD_NAMES, events, methods } from './index';

describe('contract', () => {
  it('the preload allow-list equals the declared methods and events', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(methods).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('method names are <domain>.<verb> and events are past tense', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    // Events name what happened: a past participle or a state noun (status/progress/results/tick).
    for (const name of EVENT_NAMES) expect(name).toMatch(/^[a-z]+\.([a-zA-Z]+ed|status|progress|results|tick|snapshot)$/);
  });

  it('every method takes exactly one object argument', () => {
    for (const spec of Object.values(methods)) {
      expect(spec.args).toBeInstanceOf(z.ZodObject);
      expect(spec.args.safeParse('a string').success).toBe(false);
      expect(spec.args.safeParse([1, 2]).success).toBe(false);
    }
  });
});
