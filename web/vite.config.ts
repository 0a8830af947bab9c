// The dashboard `slipway serve` serves: built into dist/web by `npm run build` (`vite build web`), no CDN,
// no inline script (the server's Content-Security-Policy allows only its own origin).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
  },
});
