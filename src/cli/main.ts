import { main } from './program.ts';

// A reader that stops early (`tunekit models | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The process entry (bin/tunekit.mjs imports this). Tests import program.ts instead.
process.exitCode = await main(process.argv.slice(2));
