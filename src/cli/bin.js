#!/usr/bin/env node
// Entry point of the `edgeopt` command: loads the TypeScript CLI through tsx (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// the command is done: a timer or socket a plugin left open must not keep it alive (after Ctrl-C it did, for ever);
// stdout and stderr are flushed first, so piped output is never cut
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
