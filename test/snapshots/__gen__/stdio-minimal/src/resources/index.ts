import type { AnyResource } from '../core/resource.js';
import { toolDocument, toolIndex } from './tool-catalogue.js';

/** Every resource and resource template the server publishes. */
export const resources: readonly AnyResource[] = [toolIndex, toolDocument];
