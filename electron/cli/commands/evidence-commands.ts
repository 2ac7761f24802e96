import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function registerEvidenceCommands(_program: Command, _context: CliContext): void {}
