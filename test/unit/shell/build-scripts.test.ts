import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

interface ElectronNative {
  electronNativeBindingPath(root: string, version: string): string;
  nativeBuildEnvironment(env: Record<string, string>): Record<string, string>;
  failureSummary(output: string): string[];
}
interface Dist {
  explainBuilderFailure(output: string, version: string): string | null;
  withoutStackTrace(line: string): string | null;
}

const native = (await import(join(root, 'build', 'electron-native.mjs'))) as ElectronNative;
const dist = (await import(join(root, 'build', 'dist.mjs'))) as Dist;

describe('the Electron native module build', () => {
  it('caches per Electron version, where the shell looks in development', () => {
    expect(native.electronNativeBindingPath('/repo', '45.4.1')).toBe(
      join('/repo', '.cache', 'electron-native', '45.4.1', 'better_sqlite3.node'),
    );
  });

  it('drops npm configuration that would point node-gyp at Node headers, keeping proxies', () => {
    const env = native.nativeBuildEnvironment({
      PATH: '/usr/bin',
      npm_config_nodedir: '/usr',
      npm_config_target: '20.20.2',
      npm_config_runtime: 'node',
      NPM_CONFIG_DISTURL: 'https://nodejs.org/dist',
      npm_config_https_proxy: 'https://proxy.internal:3128',
      HTTPS_PROXY: 'https://proxy.internal:3128',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      npm_config_https_proxy: 'https://proxy.internal:3128',
      HTTPS_PROXY: 'https://proxy.internal:3128',
    });
  });

  it('summarises a failed build by its causes, without stack frames', () => {
    const output = [
      'prebuild-install info begin Prebuild-install version 7.1.3',
      'prebuild-install warn install getaddrinfo ENOTFOUND github.com',
      'gyp info it worked if it ends with ok',
      'gyp http GET https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz',
      'gyp ERR! configure error ',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack at go (/repo/node_modules/node-gyp/lib/install.js:244:21)',
      'gyp ERR! not ok ',
    ].join('\n');
    const summary = native.failureSummary(output);
    expect(summary).toContain('prebuild-install warn install getaddrinfo ENOTFOUND github.com');
    expect(summary).toContain('gyp ERR! configure error');
    expect(summary.join('\n')).not.toMatch(/\bat go\b|it worked/);
  });
});

describe('npm run dist', () => {
  it('names an unreachable download as the cause', () => {
    expect(
      dist.explainBuilderFailure('  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build', '45.4.1'),
    ).toMatch(/downloads the Electron v45\.4\.1 distribution .* cannot reach it/);
    expect(dist.explainBuilderFailure('something unheard of', '45.4.1')).toBeNull();
  });

  it('shows electron-builder’s progress without stack traces', () => {
    expect(dist.withoutStackTrace('    at ClientRequest.<anonymous> (/x/got/index.js:970:111)')).toBeNull();
    expect(
      dist.withoutStackTrace(
        '  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: x',
      ),
    ).toBe('  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build');
    expect(dist.withoutStackTrace('  • packaging       platform=linux arch=x64')).toBe(
      '  • packaging       platform=linux arch=x64',
    );
  });
});
