// Contract for the app domain: version, run mode and data directory.
import { z } from 'zod';
import { method } from './define';

export const AppInfo = z.object({
  name: z.literal('SpreadDesk'),
  version: z.string(),
  mode: z.enum(['electron', 'headless']),
  dataDir: z.string(),
  platform: z.string(),
  startedAt: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': method('Version, run mode and data directory.', z.object({}).strict(), AppInfo),
};

export const appEvents = {
  'app.logged': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.number(), code: z.number().int().optional() }),
};
