import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The map page (web/) is built into dist/web/, which the Fastify app serves at `/`.
// In development (`npm run dev:web`) Vite serves web/ and forwards API calls to the
// app on port 3000 (`npm run dev`).
const apiTarget = 'http://127.0.0.1:3000'

export default defineConfig({
  // `root: 'web'`, resolved against this file so the config also works when loaded
  // through Vite's JS API from another working directory (the end-to-end tests).
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB minified (~280 kB gzip); it is the page's only library.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
    },
  },
})
