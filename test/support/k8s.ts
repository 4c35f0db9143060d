/**
 * The Kubernetes manifests under k8s/, parsed and checked against the API schemas that the
 * `kubernetes-models` package bundles (no cluster, no network).
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './built-packages.js';

/** One object of a manifest file. */
export interface Manifest {
  /** Path from the repository root, e.g. `k8s/hpa.yaml`. */
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked by their schema, then read freely
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Every object of every YAML file under k8s/ (subfolders included), in file order. */
export function readManifests(): Manifest[] {
  return yamlFiles(join(ROOT, 'k8s')).flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8')).flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`${relative(ROOT, path)}: ${doc.errors[0]!.message}`);
      const value = doc.toJS();
      return value ? [{ ...value, file: relative(ROOT, path) } as Manifest] : [];
    }),
  );
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Validates `manifest` with the `kubernetes-models` class of its apiVersion and kind; throws
 * the schema's message (e.g. `data/spec/replicas must be integer`), or when the package knows
 * no such apiVersion/kind.
 */
export async function validateManifest(manifest: Manifest): Promise<void> {
  const { file, ...object } = manifest;
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  const models = (await import(modulePath).catch(() => {
    throw new Error(`${file}: no Kubernetes schema for apiVersion ${object.apiVersion}`);
  })) as Record<string, ModelClass | undefined>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`${file}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${file}: ${object.kind} ${object.metadata?.name}: ${(error as Error).message}`);
  }
}

/** Whether `selector` (matchLabels) selects pods labelled `labels`. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
