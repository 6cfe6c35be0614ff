// All four packages imported, as a service does at start-up, and the settings loaded.
import '../../../packages/db-pool/dist/index.js';
import '../../../packages/redis/dist/index.js';
import '../../../packages/telemetry/dist/index.js';
import { loadSettings } from '../../../packages/settings/dist/index.js';

if (loadSettings().pgPoolSize === undefined) throw new Error('the settings did not load');
