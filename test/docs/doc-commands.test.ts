/**
 * Every command README.md and docs/*.md show in a ```sh block is accounted for. The CLI's commands that
 * need no controller (validate, plan, render, lint, netpol, cost, schema) are run here as written — in a
 * scratch directory that sees the repository's examples and fixtures, `/tmp/` moved into it — and must
 * exit as a reader expects, print something unless redirected, and never show a stack trace. Every other
 * command names the test that runs its scenario (which must exist and contain the named marker), or what
 * this machine lacks to run it (a container runtime, the internet). A command added to a page and accounted for nowhere fails here; so does an
 * entry below that no page shows any more, and a relative link that leads nowhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../local/local-harness.js';
import { docCommands, docPages } from './doc-commands.js';

/** Run here: their exit code when it is not 0 (findings, invalid specs shown on purpose). */
const RUN_HERE_EXIT: Record<string, number> = {
  './bin/slipway.js validate test/fixtures/invalid/misspelt-readiness.yaml': 2,
  './bin/slipway.js validate test/fixtures/invalid/relative-analysis-on-rolling.yaml': 2,
  './bin/slipway.js lint -f examples/medical-platform/slipway.yaml --env production': 1,
  './bin/slipway.js lint -f examples/medical-platform/slipway.yaml --format sarif > /tmp/slipway.sarif': 1,
  './bin/slipway.js lint test/fixtures/lint/helm-output.yaml': 1,
  'cat test/fixtures/lint/helm-output.yaml | ./bin/slipway.js lint -': 1,
  './bin/slipway.js netpol test/fixtures/netpol/medical-handwritten.yaml --spec examples/medical-platform/slipway.yaml --explain': 1,
  './bin/slipway.js netpol test/fixtures/netpol/medical-handwritten.yaml --spec examples/medical-platform/slipway.yaml --pod-cidr 10.244.0.0/16': 1,
};

const runsHere = (c: string) =>
  /^(cat \S+ \| )?\.\/bin\/slipway\.js (validate|plan|render|lint|netpol|cost|schema)\b/.test(c) &&
  !c.includes('--server');

/** Run by another test: a pattern of the command → the test file and a marker it contains. */
const RUN_BY: [RegExp, string, string][] = [
  [/^npm ci && \.\/bin\/slipway\.js demo$/, 'test/cli/demo.test.ts', "'bin/slipway.js', 'demo'"],
  [/^\.\/scripts\/test-all\.sh$/, '.ci/run', './scripts/test-all.sh'],
  [/^npm (test|run (build|lint|typecheck))$/, 'scripts/test-all.sh', 'npm run lint'],
  [/^npm test -- fixtures$/, 'scripts/run-tests.mjs', 'only.some((o) => f.includes(o))'],
  [/^npm run schema$/, 'test/spec/schema-keys.test.ts', 'slipway.schema.json'],
  [
    /^node --import tsx --test test\/policy\/kube-linter-conformance\.test\.ts$/,
    'test/policy/kube-linter-conformance.test.ts',
    'kube-linter',
  ],
  [/slipway\.js serve -f examples\/demo\/slipway\.yaml( &)?$/, 'test/cli/serve.test.ts', 'startController'],
  [
    /slipway\.js (release web@v1( --env staging)?( && \.\/bin\/slipway\.js release web@v2( --env staging)?)?|release web@v2|history && \.\/bin\/slipway\.js status|rollback web --to v1)$/,
    'test/cli/serve.test.ts',
    "'history'",
  ],
  [/slipway\.js dora --since 90d$/, 'test/cli/serve.test.ts', "'dora'"],
  [/^SLIPWAY_DATABASE_URL=.* serve /, 'test/engine/failover.test.ts', 'SLIPWAY_DATABASE_URL'],
  [/token (create|list)|SLIPWAY_TOKEN=\$TOKEN/, 'test/cli/api-auth.test.ts', "'token', 'create'"],
  [/ --server http:\/\/127\.0\.0\.1:7447/, 'test/cli/platform-api.test.ts', "'--server'"],
  [/^curl .*\/v1\/plan/, 'test/cli/platform-api.test.ts', '/v1/plan'],
  [/^curl .*\/metrics/, 'test/cli/metrics.test.ts', 'slipway_releases_finished_total'],
  [/--tls-cert tls\.crt|^NODE_EXTRA_CA_CERTS=/, 'test/cli/serve-tls.test.ts', '--tls-cert'],
  [/slipway\.js (services|down)$|^kill -9 %1$/, 'test/cli/down-services.test.ts', "'services'"],
  [
    /^npm run kube-sim|demo-kubernetes\/slipway\.yaml --kubeconfig|release web@v3-crashloop|rollback web --to v1 --env staging|kubectl --context kube-staging/,
    'test/kube/kube-release.test.ts',
    'v3-crashloop',
  ],
  [/--oidc-issuer .* --oidc-role-map/, 'test/cli/oidc.test.ts', "'--oidc-issuer'"],
  [/slipway\.js diagnose/, 'test/cli/serve.test.ts', "'diagnose'"],
  [/slipway\.js demo --stay$/, 'test/cli/demo.test.ts', "'--stay'"],
  [
    /examples\/demo\/service\.js &$|examples\/demo\/(load|ws-say)\.js|^kill %1$/,
    'test/local/demo-service.test.ts',
    'examples/demo/load.js',
  ],
  [/^npm run bench:|install-bench-deps\.sh && npm run bench:/, 'bench/README-benches', ''],
];

/** Not run by any test, and why: what this machine lacks. */
const NOT_RUN: [RegExp, string][] = [
  [/^kind |kind load|^for v in v1 v2; do docker build/, 'kind and docker: no container runtime here'],
  [
    /^helm install|^kubectl apply -f https:|^kubectl -n monitoring port-forward/,
    'Helm charts and manifests from the internet: no network here',
  ],
  [
    /^cat > \/tmp\/canary\.yaml|serve -f \/tmp\/canary\.yaml|serve -f examples\/demo-kubernetes\/slipway\.yaml &$/,
    'the kind walkthrough (its clusters need kind)',
  ],
];

const commands = docPages(ROOT).flatMap((file) => docCommands(ROOT, file));

describe('the commands the docs show', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-docs-'));
  for (const entry of ['bin', 'dist', 'examples', 'test', 'node_modules', 'schema', 'package.json'])
    symlinkSync(join(ROOT, entry), join(scratch, entry));
  mkdirSync(join(scratch, 'tmp'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('are each run here, run by a named test, or said to need what is missing', () => {
    const unaccounted = commands.filter(
      (c) =>
        !runsHere(c.command) &&
        !RUN_BY.some(([p]) => p.test(c.command)) &&
        !NOT_RUN.some(([p]) => p.test(c.command)),
    );
    assert.deepEqual(
      unaccounted.map((c) => `${c.file}:${c.line} ${c.command}`),
      [],
    );
  });

  it('every entry of the tables still matches a command a page shows, and names a test that exists', () => {
    for (const [pattern, file, marker] of RUN_BY) {
      assert.ok(
        commands.some((c) => pattern.test(c.command)),
        `no page shows ${pattern}`,
      );
      if (file === 'bench/README-benches') {
        // Benchmarks run for minutes: `npm run bench:NAME` must be a script whose file exists.
        const scripts = (
          JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
        ).scripts;
        for (const c of commands.filter((x) => pattern.test(x.command))) {
          const name = /bench:(\w+)/.exec(c.command)![1]!;
          assert.equal(scripts[`bench:${name}`], `tsx bench/${name}.ts`);
          assert.ok(existsSync(join(ROOT, 'bench', `${name}.ts`)));
        }
        continue;
      }
      assert.ok(readFileSync(join(ROOT, file), 'utf8').includes(marker), `${file} contains ${marker}`);
    }
    for (const [pattern] of NOT_RUN)
      assert.ok(
        commands.some((c) => pattern.test(c.command)),
        `no page shows ${pattern}`,
      );
    for (const c of Object.keys(RUN_HERE_EXIT))
      assert.ok(
        commands.some((x) => x.command === c),
        `no page shows ${c}`,
      );
  });

  for (const c of commands.filter((x) => runsHere(x.command))) {
    it(`runs as written: ${c.command} (${c.file}:${c.line})`, () => {
      const command = c.command.replaceAll('/tmp/', `${scratch}/tmp/`);
      const run = spawnSync('bash', ['-c', command], { cwd: scratch, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, RUN_HERE_EXIT[c.command] ?? 0, `${run.stdout}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      if (!command.includes('>'))
        assert.ok(`${run.stdout}${run.stderr}`.trim().length > 0, 'it prints something');
    });
  }

  it('every relative link of the pages leads to a file, and an anchor to a heading there', () => {
    const slug = (h: string) =>
      h
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-');
    for (const page of docPages(ROOT)) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      for (const [, link] of text.matchAll(/\]\(([^)]+)\)/g)) {
        if (/^https?:/.test(link!)) continue;
        const [path, anchor] = link!.split('#');
        const target = path ? normalize(join(dirname(page), path)) : page;
        assert.ok(existsSync(join(ROOT, target)), `${page}: ${link} leads nowhere`);
        if (anchor && target.endsWith('.md')) {
          const headings = readFileSync(join(ROOT, target), 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('#'))
            .map((l) => slug(l.replace(/^#+/, '').trim()));
          assert.ok(headings.includes(anchor), `${page}: ${link} names no heading`);
        }
      }
    }
  });
});
