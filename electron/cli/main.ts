import { runCli } from './cli';

declare const __STEWARD_VERSION__: string;

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  version: __STEWARD_VERSION__,
}).then((code) => {
  process.exitCode = code;
});
