// Prisma CLI config. Only `prisma generate` runs on these machines; migrations are plain SQL
// in prisma/migrations applied by src/store/migrate.ts (see README, "Database").
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
