#!/usr/bin/env node
// The `steward` command. The CLI is TypeScript bundled to dist/ by `npm install` (prepare) or `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', '..', 'dist', 'cli', 'steward.cjs');
if (!existsSync(bundle)) {
  process.stderr.write(
    'steward: the CLI is not built yet. Run `npm run build:main` in the Steward folder, then try again.\n',
  );
  process.exit(2);
}
require(bundle);
