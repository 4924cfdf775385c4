// End-to-end tests (bash .ci/e2e.sh runs them): a real S3 server (OpenStack Swift with s3api, started by the
// global setup) and the browser upload page in Debian's Chromium. Kept apart from `npm test`, which needs none
// of that.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
