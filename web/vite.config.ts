/**
 * Vite config for the web app. Root is `web/`, output `web/dist` (served by the Fastify app).
 *
 * Chunks: vendor code every view needs is grouped by family — `react` (React, React Router,
 * TanStack Query) and `antd` (antd's core: theme, CSS-in-JS, locale, utilities) — so it stays
 * cached across deploys of our own code. antd components are left to the bundler, which puts each
 * with the code that uses it (a component used only on a lazy page stays in that page's chunk),
 * and ECharts/zrender go to their own `echarts` chunk, reached only through React.lazy: the first
 * view never loads a chart library. `node web/scripts/bundle-size.mjs` reports the sizes.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.DATCHUAN_API_URL ?? 'http://localhost:3000';

/** React and the libraries around it: what every view runs first (cached across our deploys). */
const REACT = /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser|@tanstack[\\/][^\\/]+)[\\/]/;
/** ECharts and its renderer: only ever reached through React.lazy. */
const ECHARTS = /node_modules[\\/](echarts|zrender)[\\/]/;
/**
 * antd's core — config provider, theme, CSS-in-JS, locale, utilities — which any antd component
 * needs. Component modules (antd/es/date-picker, @rc-component/picker…) are deliberately NOT
 * grouped: the bundler then places each with the code that uses it, so a component used only on
 * a lazy page stays in that page's chunk instead of the first view.
 */
const ANTD_CORE =
  /node_modules[\\/](antd[\\/]es[\\/](_util|config-provider|theme|style|locale|version|form[\\/]validateMessagesContext)|@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color)|@rc-component[\\/](util|motion|resize-observer|portal|context)|@babel[\\/]runtime|@emotion[\\/][^\\/]+|stylis|classnames|clsx|dayjs|react-is|throttle-debounce)[\\/]/;

/**
 * Writes `.br` and `.gz` beside every text file of the build (JS, CSS, HTML, JSON, SVG — the
 * simplified maps of public/geo too), which the server sends as they are (`preCompressed`).
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  let outDir = '';
  return {
    name: 'datchuan-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|json|svg|txt)$/.test(file) || file.includes(`${path.sep}.vite${path.sep}`)) continue;
        const buf = readFileSync(file);
        if (buf.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(buf, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompress()],
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    manifest: true,
    minify: process.env.NO_MINIFY ? false : true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Higher priority captures first; a group also takes its modules' dependencies.
            { name: 'echarts', test: ECHARTS, priority: 30 },
            { name: 'react', test: REACT, priority: 20 },
            { name: 'antd', test: ANTD_CORE, priority: 10 },
          ],
        },
      },
    },
  },
});
