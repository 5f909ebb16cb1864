import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TestCertificates {
  /** PEM of the CA that signed `cert`; what a client must trust. */
  ca: Buffer;
  /** PEM certificate for 127.0.0.1 and its key. */
  cert: Buffer;
  key: Buffer;
}

/** A CA and a server certificate for 127.0.0.1 it signed, made with openssl in `dir`, valid one day. */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  const openssl = (...args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Aftercare test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  );
  return {
    ca: await readFile(join(dir, 'ca.pem')),
    cert: await readFile(join(dir, 'server.pem')),
    key: await readFile(join(dir, 'server.key')),
  };
}
