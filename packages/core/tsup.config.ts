import { packageBuild } from '../../tooling/tsup';

export default packageBuild({ index: 'src/index.ts' });
