import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function registerConnectorCommands(_program: Command, _context: CliContext): void {}
