// Named JSON import: esbuild keeps only `version` in the bundle, not the whole package.json.
import { version } from '../package.json';

export const COLLECTOR_VERSION: string = version;
