// Types for pino-roll 4 (it ships none): the options SpreadDesk uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  export interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    limit?: { count: number };
    mkdir?: boolean;
    symlink?: boolean;
    /** File mode for the log files it creates (passed to sonic-boom). */
    mode?: number;
  }
  export default function roll(options: PinoRollOptions): Promise<DestinationStream>;
}
