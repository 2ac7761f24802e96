import type { Table, TableRow } from '../preset-types';

/**
 * Reads the first `count` rows of a table and returns them with a table that yields them again
 * before the rest, so a mapping can learn from a sample (date orders, a preview for the user)
 * without reading the file twice or holding more than the sample.
 */
export async function peekTableRows(
  table: Table,
  count: number,
): Promise<{ sample: TableRow[]; table: Table }> {
  const iterator = table.rows[Symbol.asyncIterator]();
  const sample: TableRow[] = [];
  let exhausted = false;
  while (sample.length < count) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    sample.push(next.value);
  }
  const replayed = sample.slice();
  const rows: AsyncIterable<TableRow> = {
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        next: () => {
          if (index < replayed.length) return Promise.resolve({ value: replayed[index++]!, done: false });
          if (exhausted) return Promise.resolve({ value: undefined, done: true });
          return iterator.next();
        },
        return: async () => {
          await iterator.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { sample, table: { ...table, rows } };
}
