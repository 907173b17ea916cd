import pkg from '../../package.json';

export const OUTPOST_VERSION: string = pkg.version;
