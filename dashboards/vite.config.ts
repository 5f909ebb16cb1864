import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The dashboards app: built from dashboards/app into dashboards/dist, which the server serves at /.
 * Every asset is bundled (no CDN): plants run offline.
 */
export default defineConfig({
  root: here('./app'),
  base: '/',
  publicDir: false,
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
});
