/** Entry point of `npm run topics`, `npm run report` and `npm run db:migrate` (see src/analytics/cli.ts). */
import { runAnalyticsCli } from '../src/analytics/cli.js';

runAnalyticsCli(process.argv.slice(2), process.env, (text) => process.stdout.write(text))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
