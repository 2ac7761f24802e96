import { z } from 'zod';

// zod compiles fast parsers with `new Function` after probing whether eval works. The renderer's CSP
// forbids eval, and even the caught probe is reported as a violation, so zod runs without its JIT here.
z.config({ jitless: true });
