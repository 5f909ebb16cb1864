// `aftercare edge` alone: the entry bin/bundle.js bundles into dist/edge/ so the edge runs as
// plain JavaScript, without tsx and without the other commands' modules.
import { tuneEdgeHeapOrExit } from '../edge/heap-tuning.ts';

// Before the other modules load (imported below, not above): V8 sizes the young generation while
// they do, and never shrinks it back.
tuneEdgeHeapOrExit();
const { createProgram } = await import('./program.ts');
const { registerEdgeCommand } = await import('../edge/command.ts');

const program = createProgram();
registerEdgeCommand(program);
await program.parseAsync(process.argv);
