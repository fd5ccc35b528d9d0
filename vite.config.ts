import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

// Dashboard build and dev server. SSR runs inside workerd through the Cloudflare plugin, so
// Workers-only problems surface in `npm run dev` too (TOOLCHAIN.md part B §7).
export default defineConfig({
  plugins: [cloudflare({ viteEnvironment: { name: "ssr" } }), tailwindcss(), reactRouter()],
  resolve: { alias: { "~": new URL("./web", import.meta.url).pathname } },
  server: { host: "127.0.0.1", port: 8787, strictPort: true },
});
