// The @stoqey/ib module, loaded on first connect: with rxjs it is ~130 ms of module loading that a start without a
// connection (and the first paint) never needs.
import { createRequire } from 'node:module';
import type * as Ib from '@stoqey/ib';

type IbModule = typeof Ib;
let loaded: IbModule | undefined;

export function ibModule(): IbModule {
  loaded ??= createRequire(import.meta.url)('@stoqey/ib') as IbModule;
  return loaded;
}
