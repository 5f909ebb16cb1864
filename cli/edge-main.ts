// `aftercare edge` alone: the entry bin/edge-bundle.js bundles into dist/edge/ so the edge runs as
// plain JavaScript, without tsx and without the other commands' modules.
import { registerEdgeCommand } from '../edge/command.ts';
import { createProgram } from './program.ts';

const program = createProgram();
registerEdgeCommand(program);
await program.parseAsync(process.argv);
