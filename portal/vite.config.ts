// Builds the portal into dist/, which every gateway serves: one HTML page, hashed assets under /assets, nothing
// loaded from elsewhere. The consoles are split into their own chunks so that the consumer page stays small.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
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
