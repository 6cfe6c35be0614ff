import { packageBuild } from '../../tooling/tsup';

// A private application: one ESM entry to run, no declarations to publish.
export default packageBuild({ main: 'src/main.ts' }, { format: ['esm'], dts: false });
