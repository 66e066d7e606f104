/**
 * deploy/: the Kubernetes Indexed Job, its merge Job and the GitHub Actions matrix parse as YAML, shard the way the
 * CLI reads shards (completions = parallelism = JOB_COMPLETIONS = n; the matrix's shards 1..n of --shard i/n), merge
 * exactly the n shard directories, and run the commands docs/fleet.md documents, with options smets1 knows.
 * Offline: no cluster, no runner; what is checked is the files' syntax and their agreement with the CLI and the docs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { smets1 } from '../support/cli';

const ROOT = new URL('../../', import.meta.url).pathname;
const docs = readFileSync(`${ROOT}docs/fleet.md`, 'utf8');

/** Every YAML document of a file, refusing any syntax error or warning. */
function documents(path: string): Record<string, any>[] {
  const parsed = parseAllDocuments(readFileSync(`${ROOT}${path}`, 'utf8'));
  for (const doc of parsed)
    expect(
      [...doc.errors, ...doc.warnings].map((e) => e.message),
      path,
    ).toEqual([]);
  return parsed.map((doc) => doc.toJS() as Record<string, any>);
}

/** The flags `smets1 <command> --help` lists. */
async function knownFlags(command: string): Promise<Set<string>> {
  return new Set((await smets1(command, '--help')).stdout.match(/--[a-z-]+/g));
}

describe('the Kubernetes Indexed Job', () => {
  const [job, claim] = documents('deploy/kubernetes/fleet-simulate-job.yaml');
  const [merge] = documents('deploy/kubernetes/fleet-merge-job.yaml');
  const container = job.spec.template.spec.containers[0];

  it('is Indexed with completions = parallelism = JOB_COMPLETIONS', () => {
    expect([job.apiVersion, job.kind, job.spec.completionMode]).toEqual(['batch/v1', 'Job', 'Indexed']);
    expect(job.spec.completions).toBe(4);
    expect(job.spec.parallelism).toBe(4);
    expect(container.env).toEqual([{ name: 'JOB_COMPLETIONS', value: '4' }]);
    expect([claim.kind, claim.metadata.name, claim.spec.accessModes]).toEqual([
      'PersistentVolumeClaim',
      'smets1-fleet',
      ['ReadWriteMany'],
    ]);
  });

  it('runs the documented simulate command, its options all known to smets1 simulate, each pod to its own directory', async () => {
    const command = (container.command as string[]).join(' ');
    expect(command).toBe(
      'node bin/smets1.mjs simulate --days 1 --volume 50000 --seed 7 --threads 2 --out /fleet/shard-$(JOB_COMPLETION_INDEX)',
    );
    expect(docs).toContain(command);
    const flags = await knownFlags('simulate');
    for (const flag of command.match(/--[a-z-]+/g)!) expect(flags.has(flag), flag).toBe(true);
    // the shard comes from the environment, so the command must not name one
    expect(command).not.toContain('--shard');
  });

  it('is merged from exactly the directories of indices 0..n-1, on the same volume', () => {
    const command = (merge.spec.template.spec.containers[0].command as string[]).join(' ');
    expect(command).toBe(
      'node bin/smets1.mjs merge /fleet/shard-0 /fleet/shard-1 /fleet/shard-2 /fleet/shard-3 --out /fleet/merged',
    );
    expect(docs).toContain(command);
    expect(merge.spec.template.spec.volumes).toEqual(job.spec.template.spec.volumes);
  });
});

describe('the GitHub Actions matrix', () => {
  const [workflow] = documents('deploy/github-actions/fleet-simulate.yml');
  const runs = (job: string) =>
    (workflow.jobs[job].steps as { run?: string }[]).map((s) => s.run).filter((r): r is string => r !== undefined);

  it('has shards 1..n for --shard i/n, and merges exactly those', () => {
    expect(workflow.jobs.simulate.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    const simulate = runs('simulate').find((r) => r.includes('smets1 simulate'))!;
    expect(simulate).toBe(
      'npx smets1 simulate --days 1 --volume 2000 --seed 7 --shard ${{ matrix.shard }}/4 --out shard-${{ matrix.shard }}',
    );
    expect(docs).toContain(simulate);
    expect(workflow.jobs.merge.needs).toBe('simulate');
    const mergeRun = runs('merge').find((r) => r.includes('smets1 merge'))!;
    expect(mergeRun).toBe('npx smets1 merge shard-1 shard-2 shard-3 shard-4 --out fleet');
    expect(docs).toContain(mergeRun);
  });
});
