// The sim.* contract methods: the practice controls of the embedded paper exchange (Local paper profile).
import { ContractFailure, type HandlerMap, type SimStatus } from '../../../core/contract';
import type { SimCommand, SimControl } from '../../paper';

export interface SimDeps {
  /** The running embedded exchange's controls, or null when another profile (or none) is in use. */
  sim(): SimControl | null;
  now?: () => number;
}

const inactive = (now: number): SimStatus => ({ active: false, now: null, sampledAt: now, speed: 1, paused: false, mode: null, simulatedTime: false, seed: null, scenario: null });

export function simHandlers(deps: SimDeps): Pick<HandlerMap, 'sim.status' | 'sim.setSpeed' | 'sim.pause' | 'sim.resume' | 'sim.jump' | 'sim.scenario'> {
  const now = deps.now ?? Date.now;
  // Controls are applied one at a time, in the order they arrive (a jump and a speed change never interleave).
  let queue: Promise<unknown> = Promise.resolve();
  const run = (cmd: SimCommand): Promise<SimStatus> => {
    const next = queue.then(async () => {
      const sim = deps.sim();
      if (!sim) throw new ContractFailure('UNAVAILABLE', 'Simulation controls need the Local paper profile: connect to it first.');
      try {
        return await sim.control(cmd);
      } catch (e) {
        if (e instanceof ContractFailure) throw e;
        throw new ContractFailure('CONFLICT', e instanceof Error ? e.message : String(e));
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    'sim.status': async () => (deps.sim() ? run({ op: 'status' }) : inactive(now())),
    'sim.setSpeed': ({ speed }) => run({ op: 'setSpeed', speed }),
    'sim.pause': () => run({ op: 'pause' }),
    'sim.resume': () => run({ op: 'resume' }),
    'sim.jump': ({ to, by }) => run({ op: 'jump', ...(to !== undefined ? { to } : {}), ...(by !== undefined ? { by } : {}) }),
    'sim.scenario': ({ scenario }) => run({ op: 'scenario', scenario }),
  };
}
