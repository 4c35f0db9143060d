/**
 * The deployment files (k8s/, docker-compose*.yml), checked offline: each object against its
 * schema (Kubernetes API schemas from `kubernetes-models`, the Compose Specification's JSON
 * schema vendored in deploy/schemas/), then the wiring a user would trip over.
 * The image itself (Dockerfile, entry point, health check) is checked in deploy-image.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@fileforge/core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/built-packages.js';
import {
  type ComposeFile,
  type ComposeService,
  environmentOf,
  fileforgeServices,
  interpolateAll,
  mergeCompose,
  readCompose,
} from './support/compose.js';
import { unknownSetting } from './support/config-names.js';
import { type Manifest, readManifests, selects, validateManifest } from './support/k8s.js';

describe('Kubernetes manifests (k8s/)', () => {
  const manifests = readManifests();
  const find = (kind: string, name: string) =>
    manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const deployments = manifests.filter((m) => m.kind === 'Deployment');
  const podLabels = (d: Manifest): Record<string, string> => d.spec.template.metadata.labels;
  const containerOf = (d: Manifest) => d.spec.template.spec.containers[0];

  it('every object is valid against the Kubernetes schema of its apiVersion and kind', async () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const manifest of manifests) await validateManifest(manifest);
  });

  it('rejects an object the schema forbids, so the check above can fail', async () => {
    const api = find('Deployment', 'fileforge-api')!;
    const broken = structuredClone(api);
    broken.spec.template.spec.containers[0].ports[0].containerPort = '8000';
    await expect(validateManifest(broken)).rejects.toThrow(/containerPort must be integer/);
  });

  it('has the API and worker Deployments, Service, ConfigMap, HPAs, PDBs and an example Secret', () => {
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/fileforge-api',
        'Deployment/fileforge-worker',
        'Service/fileforge-api',
        'ConfigMap/fileforge-config',
        'Secret/fileforge-secrets',
        'HorizontalPodAutoscaler/fileforge-api',
        'HorizontalPodAutoscaler/fileforge-worker',
        'PodDisruptionBudget/fileforge-api',
        'PodDisruptionBudget/fileforge-worker',
      ]),
    );
    // `kubectl apply -f k8s/` must never install the example's placeholder secrets.
    for (const secret of manifests.filter((m) => m.kind === 'Secret'))
      expect(secret.file).toMatch(/^k8s\/examples\//);
  });

  it('each Deployment selects its own pod template, runs the image as non-root and the right command', () => {
    for (const d of deployments) {
      expect(selects(d.spec.selector.matchLabels, podLabels(d)), d.metadata.name).toBe(true);
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    }
    const others = deployments.filter((d) => d !== find('Deployment', 'fileforge-api'));
    for (const d of others)
      expect(selects(d.spec.selector.matchLabels, podLabels(find('Deployment', 'fileforge-api')!))).toBe(
        false,
      );
    expect(containerOf(find('Deployment', 'fileforge-api')!).args).toEqual(['serve']);
    expect(containerOf(find('Deployment', 'fileforge-worker')!).args).toEqual(['worker']);
    const migrate = find('Deployment', 'fileforge-api')!.spec.template.spec.initContainers?.[0];
    expect(migrate?.args).toEqual(['migrate']);
  });

  it('probes the API: liveness on /health and readiness on /ready, at the container port', () => {
    const api = containerOf(find('Deployment', 'fileforge-api')!);
    const port = api.ports.find((p: { name: string }) => p.name === 'http');
    expect(port.containerPort).toBe(8000);
    const config = find('ConfigMap', 'fileforge-config')!;
    expect(config.data?.PORT).toBe(String(port.containerPort));
    const target = (probe: { httpGet: { port: number | string } }) =>
      probe.httpGet.port === port.name || probe.httpGet.port === port.containerPort;
    expect(api.livenessProbe.httpGet.path).toBe('/health');
    expect(target(api.livenessProbe)).toBe(true);
    expect(api.readinessProbe.httpGet.path).toBe('/ready');
    expect(target(api.readinessProbe)).toBe(true);
    if (api.startupProbe) expect(target(api.startupProbe)).toBe(true);
  });

  it('the Service selects exactly the API pods and targets their port', () => {
    const service = find('Service', 'fileforge-api')!;
    const api = find('Deployment', 'fileforge-api')!;
    expect(selects(service.spec.selector, podLabels(api))).toBe(true);
    for (const d of deployments.filter((x) => x !== api))
      expect(selects(service.spec.selector, podLabels(d))).toBe(false);
    const ports = containerOf(api).ports as Array<{ name: string; containerPort: number }>;
    for (const p of service.spec.ports)
      expect(ports.some((c) => c.name === p.targetPort || c.containerPort === p.targetPort)).toBe(true);
  });

  it('each HPA scales an existing Deployment; the API on CPU and memory, with requests to scale against', () => {
    const hpas = manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler');
    for (const hpa of hpas) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      const target = find(hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      expect(target?.kind, hpa.metadata.name).toBe('Deployment');
      expect(hpa.spec.scaleTargetRef.apiVersion).toBe(target!.apiVersion);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      const resources = hpa.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name);
      for (const name of resources) expect(containerOf(target!).resources.requests[name], name).toBeDefined();
    }
    const api = hpas.find((h) => h.spec.scaleTargetRef.name === 'fileforge-api')!;
    expect(api.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name).sort()).toEqual([
      'cpu',
      'memory',
    ]);
    expect(hpas.some((h) => h.spec.scaleTargetRef.name === 'fileforge-worker')).toBe(true);
  });

  it('each PodDisruptionBudget selects the pods of one Deployment and never blocks every eviction', () => {
    for (const pdb of manifests.filter((m) => m.kind === 'PodDisruptionBudget')) {
      const matched = deployments.filter((d) => selects(pdb.spec.selector.matchLabels, podLabels(d)));
      expect(
        matched.map((d) => d.metadata.name),
        pdb.metadata.name,
      ).toHaveLength(1);
      const hpa = manifests.find(
        (m) =>
          m.kind === 'HorizontalPodAutoscaler' && m.spec.scaleTargetRef.name === matched[0]!.metadata.name,
      );
      const minPods = Math.min(matched[0]!.spec.replicas, hpa?.spec.minReplicas ?? Number.POSITIVE_INFINITY);
      if (pdb.spec.minAvailable !== undefined) expect(pdb.spec.minAvailable).toBeLessThan(minPods);
      else expect(pdb.spec.maxUnavailable).toBeGreaterThan(0);
    }
  });

  it('the ConfigMap and Secret set only FileForge settings, and every reference to them exists', () => {
    const config = find('ConfigMap', 'fileforge-config')!;
    const secret = find('Secret', 'fileforge-secrets')!;
    const names = [...Object.keys(config.data ?? {}), ...Object.keys(secret.stringData ?? {})];
    expect(names.map(unknownSetting).filter(Boolean)).toEqual([]);
    // The API's configuration as the pods see it (the example Secret's values) is accepted.
    const env = { ...config.data, ...secret.stringData } as Record<string, string>;
    expect(() => loadConfig(env, '/')).not.toThrow();
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const from of c.envFrom ?? []) {
          const ref = from.configMapRef
            ? find('ConfigMap', from.configMapRef.name)
            : find('Secret', from.secretRef.name);
          expect(ref, `${d.metadata.name}/${c.name}`).toBeDefined();
        }
        // Writable places on a read-only root: DATA_DIR and /tmp are volumes.
        if (c.securityContext?.readOnlyRootFilesystem) {
          const mounts = (c.volumeMounts ?? []).map((m: { mountPath: string }) => m.mountPath);
          expect(mounts).toEqual(expect.arrayContaining([config.data?.DATA_DIR, '/tmp']));
        }
      }
    }
  });
});

/**
 * The vendored Compose Specification schema. Its `id` annotations ("#/properties/services", a
 * draft-04 keyword that ajv 8 refuses) name nothing that is referenced, so they are dropped.
 */
const schema = JSON.parse(
  readFileSync(join(ROOT, 'deploy', 'schemas', 'compose-spec.json'), 'utf8'),
  (key, value) => (key === 'id' && typeof value === 'string' ? undefined : value),
);

function composeValidator() {
  // Formats other than Compose's duration are not checked (port syntax is checked below).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  return ajv.compile(schema);
}

describe('Compose files', () => {
  const base = readCompose('docker-compose.yml');
  const prod = readCompose('docker-compose.prod.yml');
  const merged = mergeCompose(base as never, prod as never) as ComposeFile;
  const validate = composeValidator();
  const longRunning = (file: ComposeFile) =>
    Object.entries(file.services).filter(([, s]) => s.restart !== 'no' && s.restart !== 'on-failure');

  it.each([
    ['docker-compose.yml', base],
    ['docker-compose.prod.yml', prod],
    ['both merged', merged],
  ])('%s is valid against the Compose Specification schema', (_name, file) => {
    const ok = validate(file);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a misspelt service key is refused', () => {
    const broken = structuredClone(base);
    (broken.services.server as ComposeService).helthcheck = { test: ['CMD', 'true'] };
    expect(validate(broken)).toBe(false);
  });

  it('runs the API, a worker running `fileforge worker`, PostgreSQL, Redis and an S3-compatible store', () => {
    const services = base.services;
    expect(services.server?.command).toEqual(['serve']);
    expect(services.worker?.command).toEqual(['worker']);
    expect(String(services.postgres?.image)).toMatch(/^postgres:/);
    expect(String(services.redis?.image)).toMatch(/^redis:/);
    expect(String(services.minio?.image)).toMatch(/^minio\/minio/);
    expect(fileforgeServices(base).sort()).toEqual(['migrate', 'server', 'worker']);
    // Only the API is published, on this machine (8000 unless FILEFORGE_PORT says otherwise).
    expect(interpolateAll(services.server?.ports ?? [], {})).toEqual(['127.0.0.1:8000:8000']);
    expect(interpolateAll(services.server?.ports ?? [], { FILEFORGE_PORT: '9000' })).toEqual([
      '127.0.0.1:9000:8000',
    ]);
    for (const [name, service] of Object.entries(services).filter(([n]) => n !== 'server'))
      expect(service.ports, name).toBeUndefined();
  });

  it('every FileForge service sets only documented settings, and FileForge accepts them', () => {
    for (const [label, file] of [
      ['dev', base],
      ['prod', merged],
    ] as const) {
      for (const name of fileforgeServices(file)) {
        const env = environmentOf(file.services[name]!);
        expect(Object.keys(env).map(unknownSetting).filter(Boolean), `${label} ${name}`).toEqual([]);
        // Interpolated with nothing set (prod: with the variables it demands), each *_FILE
        // standing for its secret, the configuration is one FileForge starts with.
        const values = interpolateAll(env, label === 'prod' ? { MINIO_ROOT_PASSWORD: 'x' } : {});
        for (const key of Object.keys(values).filter((k) => k.endsWith('_FILE')))
          values[key.slice(0, -5)] = key.startsWith('DATABASE_URL')
            ? 'postgresql://u:p@postgres/db'
            : 'secret';
        expect(() => loadConfig(values, '/'), `${label} ${name}`).not.toThrow();
      }
    }
  });

  it('wires DATABASE_URL, REDIS_URL and S3 to the services that provide them, with matching credentials', () => {
    const services = interpolateAll(base.services as never, {}) as Record<string, ComposeService>;
    for (const name of fileforgeServices(base)) {
      const env = environmentOf(services[name]!);
      const db = new URL(env.DATABASE_URL!);
      const pg = environmentOf(services.postgres!);
      expect(db.protocol).toBe('postgresql:');
      expect([db.hostname, db.port, db.username, db.password, db.pathname]).toEqual([
        'postgres',
        '5432',
        pg.POSTGRES_USER,
        pg.POSTGRES_PASSWORD,
        `/${pg.POSTGRES_DB}`,
      ]);
      expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
      const minio = environmentOf(services.minio!);
      expect(new URL(env.S3_ENDPOINT!).host).toBe('minio:9000');
      expect([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY]).toEqual([
        minio.MINIO_ROOT_USER,
        minio.MINIO_ROOT_PASSWORD,
      ]);
      // FileForge never creates its bucket: a one-shot service makes the one it is told to use.
      expect(JSON.stringify(services['minio-bucket']?.command)).toContain(`local/${env.AWS_BUCKET_NAME}`);
    }
    for (const name of ['server', 'worker'])
      expect(services[name]?.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
  });

  it('every long-running service has a healthcheck, and dependencies wait for it', () => {
    for (const [name, service] of [...longRunning(base), ...longRunning(merged)]) {
      const check = service.healthcheck as { test?: string[]; disable?: boolean } | undefined;
      expect(check?.test, name).toBeDefined();
      expect(check?.disable, name).not.toBe(true);
    }
    expect((base.services.worker!.healthcheck as { test: string[] }).test).toContain('--redis');
    expect((base.services.server!.healthcheck as { test: string[] }).test.join(' ')).toContain(
      'healthcheck.mjs',
    );
    for (const [name, service] of Object.entries(base.services)) {
      for (const [dep, { condition }] of Object.entries(
        (service.depends_on ?? {}) as Record<string, { condition: string }>,
      )) {
        expect(base.services[dep], `${name} → ${dep}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(base.services[dep]?.healthcheck, `${name} → ${dep}`).toBeDefined();
      }
    }
  });

  it('production: secrets from files, restart policies, resource limits, no published database ports', () => {
    const secrets = prod.secrets as Record<string, { file: string }>;
    for (const [name, service] of Object.entries(merged.services)) {
      const env = environmentOf(service);
      for (const [key, path] of Object.entries(env).filter(([k]) => k.endsWith('_FILE'))) {
        const secret = path.replace('/run/secrets/', '');
        expect(service.secrets, `${name} ${key}`).toContain(secret);
        expect(secrets[secret]?.file, `${name} ${key}`).toBeDefined();
        // The plain variable is cleared, or the entry point would keep it over the file.
        expect(env[key.slice(0, -5)] ?? '', `${name} ${key}`).toBe('');
      }
    }
    for (const name of ['SECRET_KEY', 'JWT_SECRET_KEY', 'DATABASE_URL', 'AWS_SECRET_ACCESS_KEY'])
      for (const service of fileforgeServices(merged))
        expect(environmentOf(merged.services[service]!)[`${name}_FILE`], `${service} ${name}`).toBeDefined();
    for (const [name, service] of longRunning(merged)) {
      expect(service.restart, name).toBe('unless-stopped');
      expect((service.deploy as { resources?: { limits?: object } })?.resources?.limits, name).toBeDefined();
    }
    for (const name of ['postgres', 'redis', 'minio'])
      expect(merged.services[name]?.ports, name).toBeUndefined();
    // Only the TLS proxy listens beyond this machine.
    const published = Object.entries(interpolateAll(merged.services as never, { MINIO_ROOT_PASSWORD: 'x' }))
      .flatMap(([name, service]) =>
        (((service as ComposeService).ports ?? []) as string[]).map((port) => [name, String(port)]),
      )
      .filter(([, port]) => !port!.startsWith('127.0.0.1:'));
    expect(published).toEqual([
      ['proxy', '80:80'],
      ['proxy', '443:443'],
    ]);
    expect(
      interpolateAll(prod.services.server?.image ?? '', { FILEFORGE_IMAGE: 'registry/fileforge:1.2.3' }),
    ).toBe('registry/fileforge:1.2.3');
    expect(() => interpolateAll(prod.services.minio as never, {})).toThrow(/MINIO_ROOT_PASSWORD/);
  });

  it('production: the TLS proxy forwards to the API, streams bodies, and is the only trusted proxy', () => {
    const proxy = merged.services.proxy!;
    const conf = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    const mounts = (proxy.volumes as string[]).map((v) => v.split(':'));
    expect(mounts).toContainEqual(['./deploy/nginx.conf', '/etc/nginx/nginx.conf', 'ro']);
    // The upstream is the API service on the port it listens on.
    const [, host, port] = /^\s*server\s+([\w-]+):(\d+);/m.exec(conf) ?? [];
    expect(merged.services[host!]?.command).toEqual(['serve']);
    expect(port).toBe(environmentOf(merged.services[host!]!).PORT);
    // Nothing buffered or capped by the proxy: FileForge streams and answers 413 itself.
    expect(conf).toMatch(/^\s*client_max_body_size 0;/m);
    expect(conf).toMatch(/^\s*proxy_request_buffering off;/m);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(conf).toMatch(/location = \/health \{/);
    // FileForge believes forwarded headers from the proxy's fixed address, inside the network.
    const address = (proxy.networks as { default: { ipv4_address: string } }).default.ipv4_address;
    expect(environmentOf(merged.services.server!).TRUSTED_PROXIES).toBe(address);
    const subnet = (merged.networks as { default: { ipam: { config: Array<{ subnet: string }> } } }).default
      .ipam.config[0]!.subnet;
    expect(address.startsWith(subnet.split('.').slice(0, 3).join('.'))).toBe(true);
    expect(JSON.stringify(proxy.healthcheck)).toContain('/health');
  });
});
