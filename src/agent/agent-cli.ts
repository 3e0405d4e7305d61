import { AgentDirectory } from './agent-directory.js';
import { hashPassword } from './password.js';

const USAGE = 'usage: agent-cli hash-password [password]   (reads the password from stdin when not given)\n       agent-cli check <agents.yaml>         (lists agents whose hashes need regenerating)\n';

/**
 * `npx tsx src/agent/agent-cli.ts hash-password`: reads a password from stdin (or the first
 * argument after the command) and prints the `scrypt$N$r$p$salt$hash` line agents.yaml takes.
 * `check <file>` names the agents whose hashes predate today's cost (exit code 1 when there are any),
 * since the server cannot rewrite a file operators keep.
 */
async function main(argv: string[]): Promise<void> {
  const [command, given] = argv;
  if (command === 'check' && given) {
    const stale = AgentDirectory.load(given).needingRehash();
    for (const id of stale) process.stdout.write(`${id}: old scrypt format or cost; run hash-password and replace its passwordHash\n`);
    if (stale.length === 0) process.stdout.write('every password hash is current\n');
    process.exitCode = stale.length > 0 ? 1 : 0;
    return;
  }
  if (command !== 'hash-password') {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  let password = given;
  if (password === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  if (!password) {
    process.stderr.write('agent-cli: empty password\n');
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
}

void main(process.argv.slice(2));
