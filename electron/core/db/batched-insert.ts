import type { Db } from './open-database';

/**
 * Child rows per multi-row INSERT. better-sqlite3 pays a fixed cost per statement run (a third of a
 * microsecond) that is larger than the cost of a small row itself; 64 rows per run halve the cost of
 * the child rows of a million-row import.
 */
const ROWS_PER_INSERT = 64;

type Statement = ReturnType<Db['prepare']>;

/**
 * Rows of one table, buffered and inserted `ROWS_PER_INSERT` at a time by one multi-row statement.
 * The statements use OR IGNORE or OR FAIL, never the default ABORT: a multi-row statement that may
 * abort opens a statement savepoint, and FTS5 writes its pending index data to disk at every
 * savepoint, which turned a million-row import's search index into thousands of tiny segments to
 * merge. (FAIL still fails the import, which then rolls back as a whole.) Inserts into the search
 * index itself go one row per statement for the same reason.
 */
export class BatchedInsert {
  private readonly values: unknown[] = [];
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly fullLength: number;

  constructor(
    db: Db,
    head: string,
    private readonly width: 2 | 3 | 4 | 5 | 9,
  ) {
    const row = `(${new Array(width).fill('?').join(', ')})`;
    this.one = db.prepare(`${head} VALUES ${row}`);
    this.many = db.prepare(`${head} VALUES ${new Array(ROWS_PER_INSERT).fill(row).join(', ')}`);
    this.fullLength = width * ROWS_PER_INSERT;
  }

  /**
   * Adds one row of `width` values (2, 3, 4, 5 or 9). Positional rather than rest parameters: a rest
   * array per row was measurable garbage at four rows per identity.
   */
  add(
    a: unknown,
    b: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
    g?: unknown,
    h?: unknown,
    i?: unknown,
  ): void {
    const values = this.values;
    values.push(a, b);
    if (this.width > 2) values.push(c);
    if (this.width > 3) values.push(d);
    if (this.width > 4) values.push(e);
    if (this.width > 5) values.push(f, g, h, i);
    if (values.length === this.fullLength) {
      this.many.run(values);
      values.length = 0;
    }
  }

  /** True while rows wait for the next multi-row statement. */
  get pending(): boolean {
    return this.values.length > 0;
  }

  flush(): void {
    for (let start = 0; start < this.values.length; start += this.width) {
      this.one.run(this.values.slice(start, start + this.width));
    }
    this.values.length = 0;
  }
}
