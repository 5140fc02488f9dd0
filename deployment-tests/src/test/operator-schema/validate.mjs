// Validates Kubernetes objects (a JSON array, argv[2]) of the Prometheus Operator's and CloudNativePG's
// kinds against their CRDs' OpenAPI schemas (the @kubernetes-models packages carry them). Prints one
// line per object; exits 1 when any object is invalid or of a kind it cannot check.
import { readFileSync } from "node:fs";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Cluster } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster";
import { ScheduledBackup } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup";

const models = {
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "postgresql.cnpg.io/v1/Cluster": Cluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": ScheduledBackup,
};

let failed = false;
for (const object of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = models[key];
  if (!Model) {
    console.log(`UNKNOWN ${key} ${object.metadata?.name}`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`VALID ${key} ${object.metadata.name}`);
  } catch (e) {
    console.log(`INVALID ${key} ${object.metadata?.name}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
