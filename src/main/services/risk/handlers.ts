// The risk domain's contract handlers: limits, status, kill switch, arming and reset.
import { ContractFailure } from '../../../core/contract';
import type { HandlerMap } from '../../../core/contract';
import type { RiskService } from './service';

export function riskHandlers(risk: RiskService): Pick<HandlerMap, 'risk.get' | 'risk.update' | 'trading.kill' | 'trading.arm' | 'trading.disarm' | 'trading.reset'> {
  return {
    'risk.get': () => ({ limits: risk.limits(), status: risk.status() }),
    'risk.update': ({ limits }) => {
      try {
        return risk.updateLimits(limits);
      } catch (e) {
        throw new ContractFailure('VALIDATION', e instanceof Error ? e.message : String(e));
      }
    },
    'trading.kill': ({ flatten }) => risk.kill({ flatten: flatten ?? false }),
    'trading.arm': ({ confirm }) => risk.arm(confirm),
    'trading.disarm': () => risk.disarm(),
    'trading.reset': ({ confirm }) => risk.reset(confirm),
  };
}
