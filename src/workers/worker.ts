// One worker thread of the pool (pool.ts): each named export is a task. Loading this module loads
// the contexts and warms jsonld and the signature code, so a thread's first task is a warm one.
import { checkProofJob } from '../ob3/proof/data-integrity.js';
import { warmUp } from '../ob3/warm.js';
import { signBoth } from './tasks.js';

await warmUp();

export const ready = (): true => true;
export { checkProofJob as checkProof, signBoth };
