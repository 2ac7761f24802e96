import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ChosenFiles, createDesktopFilePort } from '../../../electron/shell/desktop-file-port';
import { tempFolder } from '../../support/temp-folder';

function setup() {
  const folder = tempFolder('steward-file-port-');
  const pdf = join(folder, 'pack.pdf');
  const xlsx = join(folder, 'pack.xlsx');
  writeFileSync(pdf, '%PDF-1.7\n');
  writeFileSync(xlsx, 'PK');
  const opened: string[] = [];
  const revealed: string[] = [];
  const openPath = vi.fn(async (path: string) => {
    opened.push(path);
    return '';
  });
  const chosen = new ChosenFiles();
  const port = createDesktopFilePort(openPath, (path) => revealed.push(path), chosen);
  return { folder, pdf, xlsx, opened, revealed, chosen, port, openPath };
}

describe('desktop file port', () => {
  it('opens and reveals a PDF or XLSX the user chose in a dialog', async () => {
    const { pdf, xlsx, opened, revealed, chosen, port } = setup();
    chosen.remember(pdf);
    chosen.remember(xlsx);
    await expect(port.openPath(pdf)).resolves.toBeNull();
    await expect(port.showInFolder(xlsx)).resolves.toBeNull();
    expect(opened).toEqual([pdf]);
    expect(revealed).toEqual([xlsx]);
  });

  it('refuses a path no dialog gave, even one spelled differently to look like a chosen one', async () => {
    const { folder, pdf, opened, revealed, chosen, port } = setup();
    chosen.remember(pdf);
    const other = join(folder, 'other.pdf');
    writeFileSync(other, '%PDF-1.7\n');
    await expect(port.openPath(other)).resolves.toMatch(/only the files it saved or you chose/);
    await expect(port.showInFolder(other)).resolves.toMatch(/only the files it saved or you chose/);
    // The same file through ".." resolves to the chosen one: allowed; a different one is not.
    await expect(port.openPath(join(folder, 'x', '..', 'pack.pdf'))).resolves.toBeNull();
    expect(opened).toEqual([pdf]);
    expect(revealed).toEqual([]);
  });

  it('refuses anything but PDF and XLSX even when chosen (a program, a script, a link)', async () => {
    const { folder, chosen, port, openPath } = setup();
    for (const name of ['run.sh', 'setup.exe', 'report.pdf.desktop', 'pack.PDF.lnk']) {
      const path = join(folder, name);
      writeFileSync(path, '#!/bin/sh\n');
      chosen.remember(path);
      await expect(port.openPath(path)).resolves.toMatch(/only the PDF and XLSX files/);
    }
    expect(openPath).not.toHaveBeenCalled();
  });

  it('says when a chosen file is gone or is a folder, and passes on the desktop’s own failure', async () => {
    const { folder, pdf, chosen } = setup();
    const gone = join(folder, 'gone.pdf');
    const dir = join(folder, 'folder.pdf');
    mkdirSync(dir);
    chosen.remember(gone);
    chosen.remember(dir);
    chosen.remember(pdf);
    const failing = createDesktopFilePort(
      async () => 'No application is registered for PDF files.',
      () => undefined,
      chosen,
    );
    await expect(failing.openPath(gone)).resolves.toMatch(/no longer there/);
    await expect(failing.openPath(dir)).resolves.toMatch(/no longer there/);
    await expect(failing.openPath(pdf)).resolves.toBe(
      `The desktop could not open ${pdf}: No application is registered for PDF files.`,
    );
  });

  it('a symbolic link chosen as a PDF opens only if it still names a file', async () => {
    const { folder, pdf, chosen, port, opened } = setup();
    const link = join(folder, 'link.pdf');
    symlinkSync(pdf, link);
    chosen.remember(link);
    await expect(port.openPath(link)).resolves.toBeNull();
    expect(opened).toEqual([link]);
  });
});
