import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createVaultDialogPort } from '../../../electron/shell/vault-dialog-port';

const noSave = async (_options: SaveDialogOptions) => ({ canceled: true, filePath: '' });

describe('vault folder dialog port', () => {
  it('asks for a folder (creatable) starting at the current vault, and returns the choice', async () => {
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: ['/home/ana/Vaults/q3'],
    }));
    const port = createVaultDialogPort(showOpenDialog, noSave, () => '/home/ana/.config/Steward/vault');
    await expect(port.chooseVaultFolder('create')).resolves.toBe('/home/ana/Vaults/q3');
    const options = showOpenDialog.mock.calls[0]![0];
    expect(options.properties).toEqual(['openDirectory', 'createDirectory']);
    expect(options.defaultPath).toBe('/home/ana/.config/Steward/vault');
    expect(options.title).toMatch(/new vault/i);
  });

  it('titles the open dialog for opening', async () => {
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: ['/v'],
    }));
    await createVaultDialogPort(showOpenDialog, noSave, () => '/d').chooseVaultFolder('open');
    expect(showOpenDialog.mock.calls[0]![0].title).toMatch(/open a vault/i);
  });

  it('returns null when the user cancels', async () => {
    const port = createVaultDialogPort(
      async () => ({ canceled: true, filePaths: [] }),
      noSave,
      () => '/d',
    );
    await expect(port.chooseVaultFolder('open')).resolves.toBeNull();
  });

  it('lets the user pick several export files, all files still choosable', async () => {
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: ['/x/page1.json', '/x/page2.json'],
    }));
    const port = createVaultDialogPort(showOpenDialog, noSave, () => '/d');
    await expect(port.chooseImportFiles()).resolves.toEqual(['/x/page1.json', '/x/page2.json']);
    const options = showOpenDialog.mock.calls[0]![0];
    expect(options.properties).toEqual(['openFile', 'multiSelections']);
    expect(options.filters?.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });
  });

  it('asks where to save with the proposed name, and confirms overwriting', async () => {
    const showSaveDialog = vi.fn(async (_options: SaveDialogOptions) => ({
      canceled: false,
      filePath: '/x/rejects.csv',
    }));
    const port = createVaultDialogPort(
      async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog,
      () => '/d',
    );
    await expect(port.chooseSavePath('rejects.csv', { name: 'CSV', extensions: ['csv'] })).resolves.toBe(
      '/x/rejects.csv',
    );
    expect(showSaveDialog.mock.calls[0]![0]).toMatchObject({
      defaultPath: 'rejects.csv',
      properties: ['showOverwriteConfirmation'],
    });
    await expect(
      createVaultDialogPort(
        async () => ({ canceled: true, filePaths: [] }),
        noSave,
        () => '/d',
      ).chooseSavePath('a', { name: 'CSV', extensions: ['csv'] }),
    ).resolves.toBeNull();
  });
});

describe('evidence dialogs', () => {
  it('picks one PKCS#12 file for the signing certificate, and does not remember it as openable', async () => {
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: ['/home/dana/certs/signing.p12'],
    }));
    const chosen: string[] = [];
    const port = createVaultDialogPort(
      showOpenDialog,
      noSave,
      () => '/d',
      (path) => chosen.push(path),
    );
    await expect(port.chooseSigningCertificate!()).resolves.toBe('/home/dana/certs/signing.p12');
    const options = showOpenDialog.mock.calls[0]![0];
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters?.[0]).toEqual({ name: 'PKCS#12 certificate and key', extensions: ['p12', 'pfx'] });
    expect(chosen).toEqual([]);
  });

  it('picks one evidence PDF to verify and reports it as chosen; a cancelled dialog reports nothing', async () => {
    const chosen: string[] = [];
    const picked = createVaultDialogPort(
      async () => ({ canceled: false, filePaths: ['/x/pack.pdf'] }),
      noSave,
      () => '/d',
      (path) => chosen.push(path),
    );
    await expect(picked.chooseEvidenceFile!()).resolves.toBe('/x/pack.pdf');
    const cancelled = createVaultDialogPort(
      async () => ({ canceled: true, filePaths: [] }),
      noSave,
      () => '/d',
      (path) => chosen.push(path),
    );
    await expect(cancelled.chooseEvidenceFile!()).resolves.toBeNull();
    await expect(cancelled.chooseSigningCertificate!()).resolves.toBeNull();
    expect(chosen).toEqual(['/x/pack.pdf']);
  });

  it('reports a path chosen in the save dialog, not a cancelled one', async () => {
    const chosen: string[] = [];
    const saves = [
      { canceled: false, filePath: '/x/pack.pdf' },
      { canceled: true, filePath: '' },
    ];
    const port = createVaultDialogPort(
      async () => ({ canceled: true, filePaths: [] }),
      async () => saves.shift()!,
      () => '/d',
      (path) => chosen.push(path),
    );
    await port.chooseSavePath('pack.pdf', { name: 'PDF', extensions: ['pdf'] });
    await port.chooseSavePath('pack.xlsx', { name: 'Excel workbook', extensions: ['xlsx'] });
    expect(chosen).toEqual(['/x/pack.pdf']);
  });
});
