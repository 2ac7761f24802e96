import type { OpenDialogOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createVaultDialogPort } from '../../../electron/shell/vault-dialog-port';

describe('vault folder dialog port', () => {
  it('asks for a folder (creatable) starting at the current vault, and returns the choice', async () => {
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: ['/home/ana/Vaults/q3'],
    }));
    const port = createVaultDialogPort(showOpenDialog, () => '/home/ana/.config/Steward/vault');
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
    await createVaultDialogPort(showOpenDialog, () => '/d').chooseVaultFolder('open');
    expect(showOpenDialog.mock.calls[0]![0].title).toMatch(/open a vault/i);
  });

  it('returns null when the user cancels', async () => {
    const port = createVaultDialogPort(
      async () => ({ canceled: true, filePaths: [] }),
      () => '/d',
    );
    await expect(port.chooseVaultFolder('open')).resolves.toBeNull();
  });
});
