import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import type { KubernetesObject } from './kubernetes-manifests';

type Validator = (object: KubernetesObject) => void;

function validatorOf<T>(Model: new (data: T) => { validate(): void }): Validator {
  return (object) => new Model(object as T).validate();
}

/**
 * Offline validators from the Kubernetes OpenAPI schema (kubernetes-models) and the Prometheus Operator
 * CRDs, by `apiVersion/kind`: every kind the manifests may use.
 */
const VALIDATORS: Record<string, Validator> = {
  'v1/Namespace': validatorOf(Namespace),
  'v1/ConfigMap': validatorOf(ConfigMap),
  'v1/Service': validatorOf(Service),
  'apps/v1/Deployment': validatorOf(Deployment),
  'autoscaling/v2/HorizontalPodAutoscaler': validatorOf(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': validatorOf(PodDisruptionBudget),
  'networking.k8s.io/v1/NetworkPolicy': validatorOf(NetworkPolicy),
  'monitoring.coreos.com/v1/ServiceMonitor': validatorOf(ServiceMonitor),
};

/** The schema errors of `object`, or an empty list when it is valid. */
export function schemaErrors(object: KubernetesObject): string[] {
  const kind = `${object.apiVersion}/${object.kind}`;
  const validate = VALIDATORS[kind];
  if (validate === undefined) return [`no schema for ${kind}: add one to test/deploy/kubernetes-schemas.ts`];
  try {
    validate(object);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
