// The shape of one journal migration: a number, a name and a forward-only `up`.

/** The part of a database a migration may use: plain SQL, no reads back into the app. */
export interface MigrationDb {
  exec(sql: string): unknown;
}

export interface Migration {
  readonly id: number;
  readonly name: string;
  up(db: MigrationDb): void;
}
