// Builds the portal (React 19, no UI kit) into dist/web. Gatehouse serves it at /admin (src/http/routes/web.ts);
// hashed files go under /admin/assets/ so they can be cached for a year, index.html is served no-cache.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/admin/',
  publicDir: false,
  // React's automatic JSX runtime through Vite's built-in oxc transform: no React plugin needed (no HMR in a build).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // One small bundle: the whole portal is a few hundred KB before gzip, mostly React.
    chunkSizeWarningLimit: 400,
    // Keeps every script an external file (the CSP allows script-src 'self' only).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:5225', '/login': 'http://127.0.0.1:5225' } },
});
