// The platform client for components: created once at start-up, read through a React context.
import { createContext, useContext } from 'react';
import type { PlatformClient } from './client';

export const ClientContext = createContext<PlatformClient | null>(null);

export function useClient(): PlatformClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside ClientContext');
  return c;
}
