/**
 * The real OCI distribution server (Debian's `docker-registry`) on a loopback port with filesystem storage
 * in a temp dir, and a push of a minimal OCI image (a config blob and a manifest) through its API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export async function startRegistry() {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }\nhttp: { addr: 127.0.0.1:${port} }\n`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/v2/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('docker-registry did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    url,
    /** Pushes an image with one tag: an OCI manifest over an empty config. */
    async push(repository: string, tag: string): Promise<string> {
      const configBody = JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [] },
      });
      const digest = `sha256:${createHash('sha256').update(configBody).digest('hex')}`;
      const upload = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(upload.headers.get('location')!, url);
      location.searchParams.set('digest', digest);
      const put = await fetch(location, {
        method: 'PUT',
        body: configBody,
        headers: { 'content-type': 'application/octet-stream' },
      });
      if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: configBody.length },
        layers: [],
      });
      const res = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        body: manifest,
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
      if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
      return res.headers.get('docker-content-digest') ?? '';
    },
    async [Symbol.asyncDispose]() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
