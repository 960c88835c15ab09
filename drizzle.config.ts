import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/platform/db/schema.ts', './src/platform/*/schema.ts', './src/modules/*/schema.ts'],
  out: './src/platform/db/migrations',
});
