// The npm package's answers, for the wheel's identity test: `node engine.mjs POLICY.json` reads
// one input per line on standard input and prints `evaluateJson`'s answer to each, a line each.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { compilePolicy } from '../../../pkg/node.mjs';

const policy = compilePolicy(readFileSync(process.argv[2], 'utf8'));
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(policy.evaluateJson(line) + '\n');
}
