import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Whether the `openssl` binary is on PATH (node:crypto cannot make X.509 certificates). */
export const HAVE_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

/**
 * Makes a self-signed EC certificate for 127.0.0.1 (CN and subjectAltName), valid two days, as
 * `cert.pem` and `key.pem` in `dir`; returns their paths. Throws when openssl fails.
 */
export function makeSelfSignedCert(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  return { certPath, keyPath };
}
