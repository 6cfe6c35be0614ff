import { type Meter, type MeterProvider, metrics } from '@opentelemetry/api';
import packageJson from '../../package.json';

/** This package's meter, from the given provider or else the global one at the time of the call. */
export function packageMeter(meterProvider: MeterProvider | undefined): Meter {
  return (meterProvider ?? metrics.getMeterProvider()).getMeter(packageJson.name, packageJson.version);
}
