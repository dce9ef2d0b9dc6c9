import { main } from './program.ts';

// The process entry (bin/tunekit.mjs imports this). Tests import program.ts instead.
process.exitCode = await main(process.argv.slice(2));
