import { hashPassword } from './password.js';

/**
 * `npx tsx src/agent/agent-cli.ts hash-password`: reads a password from stdin (or the first
 * argument after the command) and prints the `scrypt$salt$hash` line agents.yaml takes.
 */
async function main(argv: string[]): Promise<void> {
  const [command, given] = argv;
  if (command !== 'hash-password') {
    process.stderr.write('usage: agent-cli hash-password [password]   (reads the password from stdin when not given)\n');
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
