// Lint is a gate, not a style guide (Prettier formats). Besides TypeScript's recommended rules it
// enforces the layer rule of DESIGN.md and the Electron security checklist of SECURITY.md.
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import reactHooks from 'eslint-plugin-react-hooks';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronImport = {
  name: 'electron',
  message:
    'Only electron/shell and electron/preload may import electron (DESIGN.md: the core runs under plain Node).',
};

/** Files of one layer may not import from the given folders. */
function layerRule(forbidden, message) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: [electronImport],
        patterns: forbidden.map((group) => ({ group: [group], message })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...sdl.configs.common,
  ...sdl.configs.electron,
  security.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // These fire on every indexed access with a variable key; the code validates input at the edge instead.
      'security/detect-object-injection': 'off',
      'security/detect-non-literal-fs-filename': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='sandbox'][value.value=false]",
          message: 'Every window runs sandboxed (SECURITY.md).',
        },
        {
          selector: "Property[key.name='contextIsolation'][value.value=false]",
          message: 'Context isolation stays on (SECURITY.md).',
        },
        {
          selector: "Property[key.name='webSecurity'][value.value=false]",
          message: 'webSecurity stays on (SECURITY.md).',
        },
        {
          selector: "Property[key.name='nodeIntegration'][value.value=true]",
          message: 'No Node in the renderer (SECURITY.md).',
        },
        {
          selector:
            "CallExpression[callee.property.name='openExternal']:not([callee.object.name='safeShell'])",
          message: 'Open links only through the allowlisting wrapper in electron/shell/open-external.ts.',
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: layerRule(
      ['**/shell/**', '**/preload/**', '**/cli/**', '**/renderer/**'],
      'The core depends on shared/ only.',
    ),
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: layerRule(
      ['**/shell/**', '**/preload/**', '**/renderer/**'],
      'The CLI uses the core and shared/ only.',
    ),
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['node:*'], message: 'shared/ runs in the renderer too: no Node built-ins.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ depends on nothing of the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            {
              group: ['node:*'],
              message: 'The renderer has no Node: talk to the core through window.bridge.',
            },
            { group: ['**/electron/**'], message: 'The renderer imports shared/ only (DESIGN.md).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'build/**/*.{js,mjs,ts}'],
    rules: { 'security/detect-child-process': 'off', 'security/detect-non-literal-regexp': 'off' },
  },
);
