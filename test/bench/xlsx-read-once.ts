// The XLSX reference in a fresh process, as Steward's import runs in one: exceljs' streaming reader
// reading every row of the file, nothing else. Prints {ms}.
import ExcelJS from 'exceljs';

async function main(): Promise<void> {
  const [path, minimumRows] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path!, {
    sharedStrings: 'cache',
    worksheets: 'emit',
  });
  let count = 0;
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      void row;
      count += 1;
    }
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (count < Number(minimumRows)) throw new Error(`exceljs read only ${count} rows`);
  process.stdout.write(JSON.stringify({ ms }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
