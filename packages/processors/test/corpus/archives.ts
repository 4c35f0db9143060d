/**
 * The archives of issue 9's real corpus: tarballs made by the machine's `tar` from a folder
 * holding symbolic and hard links (like /etc/ssl/certs or zoneinfo), a small zip whose one
 * sparse array compresses about 160:1 (like a SciPy `.npz`), and a JAR.
 */
import { execFile } from 'node:child_process';
import { link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildZip } from '@fileforge/test-fixtures/zip';
import type { CorpusFile } from './media.js';

const run = promisify(execFile);

/** A folder like /etc/ssl/certs: a certificate, hash-named links to it, and a link that climbs out. */
async function certsFolder(dir: string): Promise<string> {
  const root = join(dir, 'tree');
  await mkdir(join(root, 'certs'), { recursive: true });
  await writeFile(
    join(root, 'certs', 'ca.pem'),
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  );
  await symlink('ca.pem', join(root, 'certs', '5ad8a5d6.0'));
  await symlink('/usr/share/ca-certificates/mozilla/ca.crt', join(root, 'certs', 'mozilla.pem'));
  await symlink('../../../etc/passwd', join(root, 'certs', 'escape'));
  await link(join(root, 'certs', 'ca.pem'), join(root, 'certs', 'ca-copy.pem'));
  return root;
}

/** A `.npz`-like zip: a small header entry and one sparse float64 array that deflates about 160:1. */
export function sparseNpz(): Buffer {
  const values = new Float64Array(600_000); // 4.8 MB
  let seed = 42;
  for (let i = 0; i < values.length; i += 97) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    values[i] = seed / 2 ** 31;
  }
  const header = Buffer.from(
    "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (600000,), }",
  );
  return buildZip([
    { name: 'indices.npy', data: Buffer.from('\x93NUMPY\x01\x00small', 'latin1') },
    { name: 'data.npy', data: Buffer.concat([header, Buffer.from(values.buffer)]) },
  ]);
}

/** A JAR: a zip whose first entry is the manifest. */
export function jar(): Buffer {
  return buildZip([
    { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nMain-Class: demo.Main\r\n\r\n' },
    { name: 'demo/Main.class', data: Buffer.from('cafebabe0000003400', 'hex') },
  ]);
}

/** Builds the archive corpus in `dir` with the machine's `tar`. */
export async function archiveCorpus(dir: string): Promise<CorpusFile[]> {
  const root = await certsFolder(dir);
  const tarPath = join(dir, 'certs.tar');
  await run('tar', ['-C', root, '-cf', tarPath, 'certs']);
  await run('tar', ['-C', root, '-czf', `${tarPath}.gz`, 'certs']);
  return [
    { name: 'certs.tar', mime: 'application/x-tar', bytes: await readFile(tarPath) },
    { name: 'certs.tar.gz', mime: 'application/gzip', bytes: await readFile(`${tarPath}.gz`) },
    { name: 'arrays.npz', mime: 'application/zip', bytes: sparseNpz() },
    { name: 'demo.jar', mime: 'application/java-archive', bytes: jar() },
  ];
}
