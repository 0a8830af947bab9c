/** `slipway lint` on files (Helm output, Lists, broken YAML) and on examples; SARIF validated twice. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { runCli } from '../cli/cli-helpers.js';

const MULTITOOL = 'node_modules/@microsoft/sarif-multitool-linux';

describe('slipway lint', () => {
  it('lints Helm output with each finding at its line, honours a suppression with a reason, exits 1 on errors', async () => {
    const r = await runCli('lint', 'test/fixtures/lint/helm-output.yaml');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    // The image line of the Deployment document (line 35), the env value (line 37).
    assert.match(
      r.stdout,
      /^test\/fixtures\/lint\/helm-output\.yaml:35:18: error image-tag: image "shop:latest" of "shop" uses :latest \(Deployment\/shop\/shop\) from shop\/templates\/deployment\.yaml$/m,
    );
    assert.match(
      r.stdout,
      /^test\/fixtures\/lint\/helm-output\.yaml:37:15: error plain-env-secret: env API_TOKEN of "shop" holds a literal value/m,
    );
    assert.match(r.stdout, /^ {2}why: A floating tag makes a rollback redeploy/m);
    assert.doesNotMatch(r.stdout, /read-only-root-filesystem: container/);
    assert.match(r.stdout, /1 suppressed/);
    const shown = await runCli('lint', 'test/fixtures/lint/helm-output.yaml', '--show-suppressed');
    assert.match(
      shown.stdout,
      /suppressed read-only-root-filesystem[\s\S]*reason: the app writes its upload cache/,
    );
  });

  it('expands a List, locating each item', async () => {
    const r = await runCli('lint', 'test/fixtures/lint/list.yaml', '--format', 'json');
    const body = JSON.parse(r.stdout) as { findings: { rule: string; line: number; object: string }[] };
    const privileged = body.findings.find((f) => f.rule === 'privileged');
    assert.deepEqual(privileged && [privileged.line, privileged.object], [28, 'DaemonSet/shop/node-agent']);
    assert.ok(body.findings.some((f) => f.rule === 'host-namespaces' && f.line === 23));
  });

  it('reports every malformed document with its place, and exits 2', async () => {
    const r = await runCli('lint', 'test/fixtures/lint/broken.yaml');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /broken\.yaml:9:1: error MANIFEST_INVALID_YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/m,
    );
    assert.match(
      r.stderr,
      /broken\.yaml:10:1: error MANIFEST_NOT_K8S_OBJECT: not a Kubernetes object: missing apiVersion, metadata\.name/,
    );
    assert.match(
      r.stderr,
      /broken\.yaml:17:14: error MANIFEST_INVALID_METADATA: metadata\.annotations\["enabled"\] must be a string, not boolean/,
    );
    const missing = await runCli('lint', 'no/such/dir');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/dir: no such file or directory/);
  });

  it('every example lints, each finding explained by its rule', async () => {
    for (const example of [
      'demo',
      'medical-platform',
      'normaldance',
      'streamforge',
      'x0tta6bl4-update',
      'x0tta6bl4-optimizations',
    ]) {
      const r = await runCli(
        'lint',
        '-f',
        `examples/${example}/slipway.yaml`,
        '--format',
        'json',
        '--fail-on',
        'never',
      );
      assert.equal(r.code, 0, `${example}: ${r.stderr}`);
      const body = JSON.parse(r.stdout) as {
        objects: number;
        findings: { rule: string; file: string; line: number }[];
      };
      assert.ok(body.objects > 0, example);
      for (const f of body.findings) {
        assert.equal(f.file, `examples/${example}/slipway.yaml`);
        assert.ok(f.line > 1);
      }
    }
  });

  it("SARIF output is valid SARIF 2.1.0: the OASIS schema and Microsoft's SARIF validator agree", async () => {
    const r = await runCli('lint', '-f', 'examples/medical-platform/slipway.yaml', '--format', 'sarif');
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[];
        tool: { driver: { rules: unknown[] } };
      }[];
    };
    assert.ok(log.runs[0]!.results.length > 0);
    assert.ok(log.runs[0]!.tool.driver.rules.length >= 25);
    assert.ok(log.runs[0]!.results.every((res) => res.locations[0]!.physicalLocation.region.startLine > 1));

    const schema = JSON.parse(readFileSync(`${MULTITOOL}/sarif-2.1.0.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    delete schema['$schema'];
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, log);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));

    const dir = mkdtempSync(join(tmpdir(), 'slipway-sarif-'));
    const file = join(dir, 'lint.sarif');
    writeFileSync(file, r.stdout);
    const out = join(dir, 'validation.sarif');
    const run = spawnSync(`${MULTITOOL}/Sarif.Multitool`, ['validate', file, '--output', out], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const validation = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { results?: { level?: string; message: { text?: string; id?: string } }[] }[];
    };
    // Not even a warning (the validator also checks SARIF's best practices, e.g. rule names).
    assert.deepEqual(validation.runs[0]!.results ?? [], []);
  });
});

describe('slipway lint rule selection', () => {
  it('--disable and --only choose rules; an unknown id gets a suggestion', async () => {
    const all = await runCli('lint', 'test/fixtures/lint/helm-output.yaml', '--format', 'json');
    const rules = (r: { stdout: string }) =>
      new Set((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule));
    assert.ok(rules(all).has('image-tag') && rules(all).has('plain-env-secret'));
    const without = await runCli(
      'lint',
      'test/fixtures/lint/helm-output.yaml',
      '--format',
      'json',
      '--disable',
      'image-tag',
    );
    assert.ok(!rules(without).has('image-tag') && rules(without).has('plain-env-secret'));
    const only = await runCli(
      'lint',
      'test/fixtures/lint/helm-output.yaml',
      '--format',
      'json',
      '--only',
      'image-tag',
    );
    assert.deepEqual([...rules(only)], ['image-tag']);
    const typo = await runCli('lint', 'test/fixtures/lint/helm-output.yaml', '--only', 'image-tags');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown rule "image-tags"[\s\S]*did you mean "image-tag"/);
  });
});

describe('slipway lint from standard input', () => {
  it('reads `-` as the rendered output of a pipe', () => {
    const run = spawnSync(process.execPath, ['bin/slipway.js', 'lint', '-', '--only', 'image-tag'], {
      input: readFileSync('test/fixtures/lint/helm-output.yaml', 'utf8'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^<stdin>:35:18: error image-tag: .* from shop\/templates\/deployment\.yaml$/m);
  });
});
