// `aftercare server` alone: the entry bin/bundle.js bundles into dist/server/ so the server runs as
// plain JavaScript, without tsx (~45 MB of resident memory less) and without the other commands' modules.
import { tuneServerHeap } from '../server/heap-tuning.ts';

tuneServerHeap();
const { createProgram } = await import('./program.ts');
const { registerServerCommand } = await import('../server/command.ts');

const program = createProgram();
registerServerCommand(program);
await program.parseAsync(process.argv);
