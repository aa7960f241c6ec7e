// The static op tables edgeopt has, by recipe EP name; other EPs are reported as "no table".
import { COREML } from './coreml.js';
import { NNAPI } from './nnapi.js';
import type { EpOpTable } from './op-table.js';
import { QNN } from './qnn.js';
import { XNNPACK } from './xnnpack.js';

export const EP_TABLES: ReadonlyMap<string, EpOpTable> = new Map([NNAPI, COREML, XNNPACK, QNN].map((t) => [t.ep, t]));
