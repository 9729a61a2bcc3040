import { serve } from './lifecycle.js';
import { tools } from './tools/index.js';

await serve(tools);
