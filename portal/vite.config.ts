// Builds the portal into dist/, which every gateway serves: one HTML page, hashed assets under /assets, nothing
// loaded from elsewhere. The consoles are split into their own chunks so that the consumer page stays small, and
// every script and style sheet is also written gzip-compressed (.gz), which the gateway sends to browsers that
// accept it: a phone on a slow connection downloads about a third of the bytes.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

/** Writes name.gz beside every .js, .css and .svg asset of the build. */
function precompress(): Plugin {
  return {
    name: 'agritrace-precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = join(options.dir ?? 'dist', 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = join(assets, name);
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev --workspace portal`: the pages from Vite, the API from the coop gateway of `npm start`.
    proxy: {
      '/api': 'http://127.0.0.1:3003',
      '/healthz': 'http://127.0.0.1:3003',
    },
  },
});
