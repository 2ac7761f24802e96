// Renders build/icons/icon.svg to the 512x512 PNG electron-builder needs, with Debian's Chromium
// (ImageMagick is not available on the build machines). Run after editing the SVG: node build/render-icon.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const icons = join(dirname(fileURLToPath(import.meta.url)), 'icons');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const result = spawnSync(
  chromium,
  [
    '--headless',
    // Chromium refuses to run as root with its sandbox; it only renders our own SVG here.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--hide-scrollbars',
    // Transparent outside the rounded tile.
    '--default-background-color=00000000',
    '--window-size=512,512',
    `--screenshot=${join(icons, 'icon.png')}`,
    pathToFileURL(join(icons, 'icon.svg')).href,
  ],
  { stdio: 'inherit' },
);
if (result.status !== 0) {
  console.error(`render-icon: ${chromium} failed; set CHROMIUM_PATH to a Chromium or Chrome binary.`);
  process.exit(1);
}
