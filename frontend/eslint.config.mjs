import nextPlugin from '@next/eslint-plugin-next';
import globals from 'globals';
import root from '../eslint.config.mjs';

export default [
  ...root,
  { ignores: ['.next/**', 'test-results/**', 'next-env.d.ts'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { '@next/next': nextPlugin },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
    },
  },
];
