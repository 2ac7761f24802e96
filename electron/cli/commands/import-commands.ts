import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { MethodOutput } from '../../../shared/api/contract';
import { IMPORT_READING_ROWS_LABEL } from '../../../shared/api/schemas/imports';
import { MAPPING_FIELDS } from '../../../shared/domain/mapping-fields';
import type { CliContext } from '../cli-context';

type Summary = MethodOutput<'imports.run'>;

/** The automation interface of `import --json` (and `pull --json`): field names are a promise to scripts. */
export function summaryForScripts(summary: Summary) {
  return {
    snapshotId: summary.snapshotId,
    source: summary.source,
    format: summary.preset,
    fileFormat: summary.format,
    files: summary.files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })),
    rowsRead: summary.rowsRead,
    imported: summary.imported,
    rejected: summary.rejected,
    skipped: summary.skipped,
    rejects: summary.rejects,
    notes: summary.notes,
    full: summary.full,
    added: summary.added,
    changed: summary.changed,
    unchanged: summary.unchanged,
    notSeen: summary.notSeen,
    alreadyImported: summary.alreadyImported,
    importedAt: summary.importedAt,
    importedBy: summary.importedBy,
  };
}

/** The snapshot summary for people, after `import` and `pull`. */
export function describeSummary(summary: Summary): string {
  if (summary.alreadyImported) {
    return `These exact files were already imported as snapshot ${summary.snapshotId} (${summary.importedAt}). Nothing was added.`;
  }
  const lines = [
    `Snapshot ${summary.snapshotId} of ${summary.source} (${summary.preset}, ${summary.format})`,
    `Rows read ${summary.rowsRead}: imported ${summary.imported}, rejected ${summary.rejected}, skipped ${summary.skipped}`,
    `Identities: ${summary.added} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.notSeen} no longer listed`,
    ...(summary.full
      ? []
      : ['The files hold only part of the population: nothing was marked as no longer listed.']),
    ...summary.files.map((f) => `  ${f.sha256}  ${f.bytes} bytes  ${f.name}`),
  ];
  for (const reject of summary.rejects.slice(0, 50))
    lines.push(`  rejected ${reject.file}:${reject.row}: ${reject.reason}`);
  if (summary.rejects.length > 50)
    lines.push(`  … and ${summary.rejects.length - 50} more rejects (use --json for all)`);
  for (const note of summary.notes)
    lines.push(`  note ${note.file}${note.row ? `:${note.row}` : ''}: ${note.message}`);
  return lines.join('\n');
}

function readMappingFile(path: string, failure: CliContext['failure']): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    throw failure(
      'INVALID_INPUT',
      `The mapping file ${path} cannot be read as JSON (${(error as Error).message}).`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw failure(
      'INVALID_INPUT',
      `The mapping file ${path} must be a JSON object: {"name": "Account Name", ...}.`,
    );
  }
  const mapping: Record<string, string> = {};
  for (const [field, header] of Object.entries(parsed)) {
    if (typeof header !== 'string')
      throw failure('INVALID_INPUT', `In ${path}, "${field}" must name a column header.`);
    mapping[field] = header;
  }
  return mapping;
}

export function registerImportCommands(
  program: Command,
  { io, openCore, call, unlock, print, failure }: CliContext,
): void {
  program
    .command('import')
    .description('import the files of one export (CSV, XLSX or JSON) as one snapshot of one source')
    .argument(
      '<files...>',
      'the export files; files that belong together (Graph pages, a list and its bindings) go in one import',
    )
    .option('--format <id>', 'the export format instead of detecting it (see `steward formats`)')
    .option('--source <name>', 'the system of record the files come from (default: derived from the data)')
    .option(
      '--mapping <file>',
      `a JSON file mapping fields to column headers, for a layout no format recognises; fields: ${MAPPING_FIELDS.join(', ')}`,
    )
    .option('--sheet <name>', 'the worksheet of an XLSX file (default: the first with data)')
    .action(
      async (
        files: string[],
        options: { format?: string; source?: string; mapping?: string; sheet?: string },
        command: Command,
      ) => {
        const target = openCore(command);
        const mapping = options.mapping ? readMappingFile(options.mapping, failure) : undefined;
        await unlock(target);
        const showProgress = io.interactive && !command.optsWithGlobals<{ json?: boolean }>().json;
        const progress = progressLine(io.stderr);
        const unsubscribe = target.onEvent((event) => {
          if (showProgress && event.name === 'task.progress')
            progress.show(event.payload as { label: string; done: number });
        });
        try {
          const summary = await call(target, 'imports.run', {
            paths: files.map((f) => resolve(f)),
            ...(options.format ? { format: options.format } : {}),
            ...(options.source ? { source: options.source } : {}),
            ...(options.sheet ? { sheet: options.sheet } : {}),
            ...(mapping ? { mapping } : {}),
          });
          if (showProgress) progress.clear();
          print(command, summaryForScripts(summary), describeSummary(summary));
        } finally {
          unsubscribe();
        }
      },
    );

  program
    .command('formats')
    .description('list the export formats Steward recognises')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      const formats = await call(target, 'imports.formats', {});
      print(command, formats, formats.map((f) => `${f.id.padEnd(30)} ${f.label}`).join('\n'));
    });

  const people = program.command('people').description('the HR roster that owners are resolved against');
  people
    .command('import')
    .description(
      'replace the roster with an HR export (e-mail, name, department, manager, status, termination date)',
    )
    .argument('<file>', 'the roster export (CSV or XLSX)')
    .action(async (file: string, _options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const summary = await call(target, 'people.import', { path: resolve(file) });
      const human = summary.alreadyImported
        ? `This roster was already imported (snapshot ${summary.snapshotId}). Nothing changed.`
        : [
            `Roster snapshot ${summary.snapshotId}: ${summary.imported} people (${summary.active} active, ${summary.terminated} terminated), ${summary.rejected} rows rejected`,
            ...summary.rejects.map((r) => `  rejected ${r.file}:${r.row}: ${r.reason}`),
          ].join('\n');
      print(command, summary, human);
    });

  program
    .command('identities')
    .description(
      'list every identity with owners (resolved at --as-of), credentials, entitlements and risk signals',
    )
    .addOption(
      new Option(
        '--as-of <date>',
        'judge owner status and risk signals at this date (YYYY-MM-DD; default today)',
      ),
    )
    .action(async (options: { asOf?: string }, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const json = command.optsWithGlobals<{ json?: boolean }>().json;
      // Pages of 1000, written as they come: the whole inventory is never held at once.
      let offset = 0;
      let first = true;
      if (json) io.stdout('[');
      for (;;) {
        const page = await call(target, 'identities.list', {
          ...(options.asOf ? { asOf: options.asOf } : {}),
          offset,
          limit: 1000,
          sort: 'name',
        });
        for (const identity of page.items) {
          if (json) {
            io.stdout(`${first ? '\n' : ',\n'}${JSON.stringify(identity)}`);
          } else {
            const owner = identity.owners[0];
            io.stdout(
              `${identity.name}\t${identity.kind}\t${identity.source}\t${owner ? `${owner.email} (${owner.status})` : 'no owner'}\t${identity.signals.map((s) => s.code).join(',') || '-'}\n`,
            );
          }
          first = false;
        }
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
      if (json) io.stdout(first ? ']\n' : '\n]\n');
    });
}

/**
 * One line of the terminal, rewritten in place: the rows read, then what the import does once they
 * are (building its indexes, computing risk signals), so a million-row import that has stopped
 * counting does not look stuck. Each line is padded over the longer one before it.
 */
function progressLine(write: (text: string) => void): {
  show(progress: { label: string; done: number }): void;
  clear(): void;
} {
  let width = 0;
  const rewrite = (text: string) => {
    write(`\r${text.padEnd(width)}`);
    width = Math.max(width, text.length);
  };
  return {
    show: ({ label, done }) => {
      const rows = `${done.toLocaleString('en')} rows`;
      rewrite(label === IMPORT_READING_ROWS_LABEL ? `${rows}…` : `${label} (${rows})…`);
    },
    clear: () => {
      rewrite('');
      write('\r');
    },
  };
}
