// @letta/settings imported and the settings loaded.
import { loadSettings } from '../../../packages/settings/dist/index.js';

if (loadSettings().pgPoolSize === undefined) throw new Error('the settings did not load');
