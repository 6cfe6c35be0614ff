import { packageBuild, requireLazyImportsInCjs } from '../../tooling/tsup';

export default packageBuild({ index: 'src/index.ts' }, { esbuildOptions: requireLazyImportsInCjs });
