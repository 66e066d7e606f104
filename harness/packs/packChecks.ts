/**
 * From a schema-valid pack to the model, with the checks a schema cannot make: device references that name a
 * device of the bench (and one of the right kind), link specs, unique scenario names, exactly one request source or
 * stimulus kind, files and RTDS templates that exist, expectations that follow what they check. Every problem is
 * collected with its place; the pack is returned only when there is none.
 */
import { LinkSpecError, parseLinkSpec, type LinkSpec } from '../../emulator/links/linkSpec';
import { setEuis } from '../../emulator/host/benchConfig';
import { article, deviceChoices, memberRef, resolveDevice } from './devices';
import { PackError, type PackProblem } from './errors';
import { parseDuration } from './duration';
import type {
  AlertCode,
  DeviceRef,
  DeviceRole,
  Expectation,
  MigrateOptions,
  MigrationFault,
  Pack,
  PackBench,
  Scenario,
  ScenarioTimeoutSpec,
  ServiceRequest,
  SrParam,
  Step,
  StartingSlots,
  Stimulus,
  UserRole,
} from './model';
import { pathText, type PackLocator, type PathSegment, type SourcePosition } from './positions';
import { readRequestFile } from './requestFile';
import { findTemplate, srvTemplate, type RtdsTemplate } from '../bench/rtdsTemplates';

type Json = Record<string, unknown>;
type Path = readonly PathSegment[];

const LINK_FORMS = 'mock[@BAUD], loopback, pty, tcp:HOST:PORT or serial:PATH[@BAUD]';
const STIMULUS_KINDS = [
  'mainsVoltage',
  'power',
  'ppmid',
  'supply',
  'hanFailureRate',
  'linkFault',
  'polarity',
  'recover',
  'replay',
  'hanLogRemove',
] as const;
const SR_SOURCES = ['srv', 'template', 'file'] as const;

export function buildPack(data: Json, locator: PackLocator): Pack {
  const builder = new PackBuilder(data, locator);
  const pack = builder.pack();
  if (builder.problems.length > 0) throw new PackError(builder.problems);
  return pack;
}

class PackBuilder {
  readonly problems: PackProblem[] = [];

  constructor(
    private readonly data: Json,
    private readonly locator: PackLocator,
  ) {}

  pack(): Pack {
    const bench = this.bench(this.data.bench as Json);
    const raw = this.data.scenarios as Json[];
    const firstByName = new Map<string, number>();
    const scenarios = raw.map((scenario, index) => {
      const name = scenario.name as string;
      const first = firstByName.get(name);
      if (first === undefined) firstByName.set(name, index);
      else {
        const firstLine = this.locator.value(['scenarios', first, 'name']).line;
        this.problem(
          ['scenarios', index, 'name'],
          `the scenario name "${name}" is already used at line ${firstLine}`,
          'a name no other scenario of the pack has',
        );
      }
      return this.scenario(scenario, index, bench);
    });
    return {
      file: this.locator.file,
      name: this.data.name as string,
      ...(this.data.description === undefined ? {} : { description: this.data.description as string }),
      bench,
      setup: this.aroundSteps('setup', bench),
      teardown: this.aroundSteps('teardown', bench),
      scenarios,
    };
  }

  /** The pack's `setup:` or `teardown:` steps, on its bench; a migrate there is refused (it is a scenario's whole subject). */
  private aroundSteps(kind: 'setup' | 'teardown', bench: PackBench): Step[] {
    const raw = (this.data[kind] as Json[] | undefined) ?? [];
    const context = new ScenarioContext(bench);
    return raw.map((step, j) => {
      if (step.migrate !== undefined)
        this.problem(
          [kind, j, 'migrate'],
          `a migrate step in ${kind}`,
          'sr, stimulus, wait or expect (a migration belongs in a scenario)',
          true,
        );
      return this.step(step, [kind, j], context);
    });
  }

  private problem(path: Path, problem: string, expected: string, key = false): void {
    const position = key ? this.locator.key(path) : this.locator.value(path);
    this.problems.push({ ...position, path: pathText(this.data, path), problem, expected });
  }

  // ---- bench ----

  private bench(raw: Json): PackBench {
    const linkText = (raw.link as string | undefined) ?? 'mock';
    const devices = (raw.devices as PackBench['devices'] | undefined) ?? 'emulated';
    const link = this.link(linkText, devices);
    const shape = { sets: (raw.sets as number | undefined) ?? 1, ppmid: (raw.ppmid as boolean | undefined) ?? true };
    const euis = this.euis(raw.euis as Record<string, string> | undefined, shape);
    return {
      vendor: raw.vendor as PackBench['vendor'],
      installation: (raw.installation as PackBench['installation'] | undefined) ?? 'active',
      migrationState: (raw.migrationState as PackBench['migrationState'] | undefined) ?? 'dcc',
      sets: (raw.sets as number | undefined) ?? 1,
      ppmid: (raw.ppmid as boolean | undefined) ?? true,
      devices,
      quirks: { ...((raw.quirks as Record<string, boolean> | undefined) ?? {}) },
      fixes: { ...((raw.fixes as PackBench['fixes'] | undefined) ?? {}) },
      dsp: (raw.dsp as PackBench['dsp'] | undefined) ?? 'slot-certificate',
      seed: (raw.seed as number | undefined) ?? 1,
      slots: this.slots(raw.slots as Json[] | undefined, ['bench', 'slots'], { ...shape, devices, euis }),
      euis,
      installCodes: this.installCodes(raw.installCodes as Record<string, string> | undefined, shape),
      linkText,
      link,
      where: this.where(['bench'], raw),
    };
  }

  /** The positions of the bench settings written under `path` (PackBench.where), with `bench` for the map itself. */
  private where(path: Path, raw: Json): Record<string, SourcePosition> {
    const where: Record<string, SourcePosition> = { bench: this.locator.value(path) };
    for (const key of ['vendor', 'seed', 'sets', 'ppmid', 'migrationState', 'slots'])
      if (raw[key] !== undefined) where[key] = this.locator.value([...path, key]);
    for (const id of Object.keys((raw.quirks as Json | undefined) ?? {}))
      where[`quirks.${id}`] = this.locator.value([...path, 'quirks', id]);
    return where;
  }

  /**
   * Each set's EUIs: the README's scheme with `bench.euis` over it, each key a member of the bench, and every EUI of
   * the bench once (a device is addressed by it).
   */
  private euis(raw: Record<string, string> | undefined, bench: Pick<PackBench, 'sets' | 'ppmid'>): PackBench['euis'] {
    const euis: Partial<Record<DeviceRole, string>>[] = Array.from({ length: bench.sets }, (_, set) => ({
      ...setEuis(set, bench.ppmid),
    }));
    const written = new Map<string, string>();
    for (const [key, eui] of Object.entries(raw ?? {})) {
      const member = memberRef(key, bench);
      if (typeof member !== 'object') {
        this.problem(
          ['bench', 'euis', key],
          `${key} ${member ?? 'is no member of a set'}`,
          'a member of the bench: ESME, GSME, CHF or PPMID, optionally @SET',
          true,
        );
        continue;
      }
      euis[member.set]![member.role] = eui;
      written.set(`${member.role}@${member.set}`, key);
    }
    const owner = new Map<string, string>();
    euis.forEach((set, index) => {
      for (const [role, eui] of Object.entries(set)) {
        const name = `${role}@${index}`;
        const other = owner.get(eui!);
        if (other === undefined) {
          owner.set(eui!, name);
          continue;
        }
        // the member whose EUI was written is the one to change
        const key = written.get(name) ?? written.get(other)!;
        this.problem(
          ['bench', 'euis', key],
          `${eui} is the EUI of both ${other} and ${name}`,
          "each device of the bench its own EUI (a device left out has the README's scheme)",
        );
      }
    });
    return euis;
  }

  /** Each set's install codes `bench.installCodes` gives, keyed by members of the bench. */
  private installCodes(
    raw: Record<string, string> | undefined,
    bench: Pick<PackBench, 'sets' | 'ppmid'>,
  ): PackBench['installCodes'] {
    const codes: Partial<Record<'ESME' | 'GSME' | 'PPMID', string>>[] = Array.from({ length: bench.sets }, () => ({}));
    for (const [key, code] of Object.entries(raw ?? {})) {
      const member = memberRef(key, bench);
      if (typeof member !== 'object' || member.role === 'CH') {
        const why = typeof member === 'object' ? 'is the CH, which joins no HAN' : (member ?? 'is no member of a set');
        this.problem(
          ['bench', 'installCodes', key],
          `${key} ${why}`,
          'a joining device of the bench: ESME, GSME or PPMID, optionally @SET',
          true,
        );
        continue;
      }
      codes[member.set]![member.role as 'ESME' | 'GSME' | 'PPMID'] = code.toLowerCase();
    }
    return codes;
  }

  /** A bench's starting slots: each a device of the bench, each device once. */
  private slots(
    raw: Json[] | undefined,
    path: Path,
    bench: Pick<PackBench, 'sets' | 'ppmid' | 'devices' | 'euis'>,
  ): StartingSlots[] {
    const out: StartingSlots[] = [];
    // emulated devices take them however far they are (benchConfigure); the pre-flight refuses a far end that does not
    if (raw !== undefined && raw.length > 0 && bench.devices === 'real') {
      this.problem(
        path,
        'starting slots on real devices, whose slots no bench control message sets',
        'devices: emulated (in this process, or `smets1 emulate` at the far end)',
        true,
      );
    }
    const firstLine = new Map<string, number>();
    for (const [i, entry] of (raw ?? []).entries()) {
      const { device: text, ...holders } = entry;
      const device = this.device(text as string, [...path, i, 'device'], bench as PackBench);
      if (device === undefined) continue;
      const line = firstLine.get(device.eui);
      if (line !== undefined) {
        this.problem(
          [...path, i, 'device'],
          `the slots of ${text as string} are already given at line ${line}`,
          'each device at most once, with all its slots',
        );
        continue;
      }
      firstLine.set(device.eui, this.locator.value([...path, i, 'device']).line);
      out.push({ device, holders: holders as StartingSlots['holders'] });
    }
    return out;
  }

  private link(text: string, devices: PackBench['devices']): LinkSpec {
    const path = ['bench', 'link'];
    let spec: LinkSpec;
    try {
      spec = parseLinkSpec(text);
    } catch (error) {
      if (!(error instanceof LinkSpecError)) throw error;
      this.problem(path, error.message, LINK_FORMS);
      return { kind: 'mock', baudRate: 115_200 };
    }
    if (spec.kind === 'tcp-listen') {
      this.problem(path, `"${text}" waits for a harness to connect, and the bench is the harness`, LINK_FORMS);
    } else if (devices === 'real' && (spec.kind === 'mock' || spec.kind === 'loopback')) {
      this.problem(
        path,
        `real devices cannot be on the in-process link "${text}"`,
        'serial:PATH[@BAUD] or tcp:HOST:PORT for real devices',
      );
    }
    return spec;
  }

  // ---- scenarios ----

  private scenario(raw: Json, index: number, packBench: PackBench): Scenario {
    const here: Path = ['scenarios', index];
    const changes = (raw.bench as Json | undefined) ?? {};
    const bench: PackBench = {
      ...packBench,
      ...(changes as Partial<PackBench>),
      quirks: { ...packBench.quirks, ...((changes.quirks as Record<string, boolean> | undefined) ?? {}) },
      fixes: { ...packBench.fixes, ...((changes.fixes as PackBench['fixes'] | undefined) ?? {}) },
      slots:
        changes.slots === undefined
          ? packBench.slots
          : this.slots(changes.slots as Json[], [...here, 'bench', 'slots'], packBench),
      // a setting the scenario leaves alone is wanted where the pack sets it (or defaults it): the pack's bench
      where:
        raw.bench === undefined
          ? packBench.where
          : { ...packBench.where, ...this.where([...here, 'bench'], changes), bench: packBench.where.bench! },
    };
    const context = new ScenarioContext(bench);
    const steps = (raw.steps as Json[]).map((step, j) => this.step(step, [...here, 'steps', j], context));
    return {
      name: raw.name as string,
      ...(raw.description === undefined ? {} : { description: raw.description as string }),
      ...(raw.timeout === undefined ? {} : { timeout: this.timeout(raw.timeout as string, [...here, 'timeout']) }),
      bench,
      steps,
      position: this.locator.value(here),
    };
  }

  private timeout(text: string, path: Path): ScenarioTimeoutSpec {
    const ms = parseDuration(text)!;
    if (ms === 0)
      this.problem(
        path,
        'a timeout of 0 would stop the scenario before its first step',
        'a duration longer than 0, like 30min',
      );
    return { text, ms, position: this.locator.value(path) };
  }

  private step(raw: Json, path: Path, context: ScenarioContext): Step {
    const position = this.locator.value(path);
    const [kind] = Object.keys(raw) as ('sr' | 'stimulus' | 'wait' | 'migrate' | 'expect')[];
    const body = raw[kind!];
    const at: Path = [...path, kind!];
    switch (kind) {
      case 'sr':
        context.seen.add('sr');
        return { kind, position, request: this.request(body as Json, at, context.bench) };
      case 'stimulus':
        return { kind, position, ...this.stimulus(body as Json, at, context) };
      case 'wait':
        return { kind, position, ms: parseDuration(body as string)! };
      case 'migrate': {
        const options = this.migrate(body as Json, at, context);
        context.seen.add('migrate');
        return { kind, position, options };
      }
      case 'expect':
      default:
        return { kind: 'expect', position, expectations: this.expectations(body as Json, at, context) };
    }
  }

  // ---- sr ----

  private request(raw: Json, path: Path, bench: PackBench): ServiceRequest {
    const sources = SR_SOURCES.filter((source) => raw[source] !== undefined);
    if (sources.length !== 1) {
      this.problem(
        path,
        sources.length === 0 ? 'no request: none of srv, template, file' : `got ${sources.join(' and ')}`,
        'exactly one of srv, template or file',
      );
    }
    const params = () => this.params(raw.params as Json | undefined, [...path, 'params'], bench);
    const user = raw.user as UserRole | undefined;
    if (raw.file !== undefined) {
      for (const extra of ['target', 'user', 'params', 'certificate'] as const) {
        if (raw[extra] !== undefined)
          this.problem(
            [...path, extra],
            `${extra} with a request file`,
            'the request file as it is (no target, user, params or certificate)',
            true,
          );
      }
      const file = readRequestFile(this.locator.file, raw.file as string);
      if ('problem' in file) {
        this.problem([...path, 'file'], file.problem, file.expected);
        return { source: 'file', path: '', xml: '' };
      }
      return { source: 'file', path: file.path, xml: file.xml };
    }
    if (raw.template !== undefined) {
      const template = raw.template as string;
      if (findTemplate(template) === undefined) {
        this.problem(
          [...path, 'template'],
          `no RTDS template is named "${template}"`,
          'a template name of @smartdcc/duis-templates, like CCS01_8.11_SUCCESS (smets1 templates lists them)',
        );
      }
      const target =
        raw.target === undefined ? undefined : this.device(raw.target as string, [...path, 'target'], bench);
      const certificate = this.certificate(raw, path, findTemplate(template));
      return {
        source: 'template',
        template,
        ...(target ? { target } : {}),
        ...(user ? { user } : {}),
        params: params(),
        ...certificate,
      };
    }
    if (raw.target === undefined && raw.srv !== undefined)
      this.problem(path, '"target" is missing', 'the device the SR is for, with srv');
    const target = raw.target === undefined ? undefined : this.device(raw.target as string, [...path, 'target'], bench);
    const template = raw.srv === undefined ? undefined : srvTemplate(raw.srv as string);
    // Found here, with its place in the pack, rather than when the scenario reaches the step.
    if (raw.srv !== undefined && template === undefined) {
      this.problem(
        [...path, 'srv'],
        `no RTDS template for SRV "${raw.srv as string}"`,
        'an SRV of a DCC RTDS request template, e.g. "8.11" (smets1 templates lists them)',
      );
    }
    const certificate = raw.srv === undefined ? {} : this.certificate(raw, path, template);
    return {
      source: 'srv',
      srv: (raw.srv as string | undefined) ?? '',
      target: target ?? placeholderRef,
      user: user ?? 'IS',
      params: params(),
      ...certificate,
    };
  }

  /** An sr's `certificate`, which only a request that carries a DigitalSigningCertificate (6.15.1, 6.23) can take. */
  private certificate(
    raw: Json,
    path: Path,
    template: RtdsTemplate | undefined,
  ): Pick<ServiceRequest & { source: 'srv' }, 'certificate'> {
    const certificate = raw.certificate as Json | undefined;
    if (certificate === undefined) return {};
    if (template !== undefined && !template.xml.includes('<sr:DigitalSigningCertificate>')) {
      this.problem(
        [...path, 'certificate'],
        `the RTDS template ${template.name} (SRV ${template.srv}) carries no DigitalSigningCertificate`,
        'a request that replaces a certificate: SRV 6.15.1 or 6.23 (e.g. CS02bNOByNO_6.15.1_SUCCESS)',
        true,
      );
    }
    return {
      certificate: { role: certificate.role as 'supplier' | 'networkOperator', party: certificate.party as string },
    };
  }

  private params(raw: Json | undefined, path: Path, bench: PackBench): Record<string, SrParam> {
    const params: Record<string, SrParam> = {};
    for (const [name, value] of Object.entries(raw ?? {})) {
      if (name === 'DeviceID' || name === 'OtherDeviceID') {
        params[name] = this.device(value as string, [...path, name], bench)?.eui ?? '';
      } else {
        params[name] = value as SrParam;
      }
    }
    return params;
  }

  // ---- stimulus ----

  private stimulus(
    raw: Json,
    path: Path,
    context: ScenarioContext,
  ): { stimulus: Stimulus; device?: DeviceRef; prompt?: string } {
    const bench = context.bench;
    const kinds = STIMULUS_KINDS.filter((kind) => raw[kind] !== undefined);
    const prompt = raw.prompt as string | undefined;
    const withPrompt = prompt === undefined ? {} : { prompt };
    if (kinds.length > 1) {
      this.problem(
        path,
        `got ${kinds.join(' and ')}`,
        `one stimulus kind per step: one of ${STIMULUS_KINDS.join(', ')}`,
      );
    }
    if (kinds.length === 0 && prompt === undefined) {
      this.problem(path, 'no stimulus', `one of ${STIMULUS_KINDS.join(', ')}, or a prompt for the operator`);
    }
    const kind = kinds[0];
    // a linkFault's own check below says why its operator is needed
    if (bench.devices === 'real' && prompt === undefined && kind !== 'linkFault') {
      this.problem(path, 'a stimulus without a prompt on real devices', 'a prompt telling the operator what to do');
    }
    if (kind === undefined) {
      if (prompt !== undefined && bench.devices === 'emulated') {
        this.problem(
          [...path, 'prompt'],
          'a prompt alone on emulated devices, which have nothing to do for it',
          'a stimulus kind with it, or bench.devices: real',
          true,
        );
      }
      return { stimulus: { type: 'operator' }, ...withPrompt };
    }
    if (kind === 'linkFault') {
      // Only real devices are sure to have nobody to make the fault: any link can be redirected by `smets1 run
      // --link` (to the mock line, or to smets1 emulate, which makes it), so that is decided after the pre-flight
      // (harness/run/operatorSteps.ts linkFaultsNobodyMakes).
      if (bench.devices === 'real' && prompt === undefined) {
        this.problem(
          [...path, kind],
          'a link fault on real devices, which have no linkFault control',
          'a prompt for the operator who pulls the cable',
          true,
        );
      }
      const fault = raw.linkFault as Json;
      const disconnect =
        fault.disconnect === undefined ? {} : { disconnectMs: parseDuration(fault.disconnect as string)! };
      const rates = Object.fromEntries(
        ['dropWriteRate', 'corruptWriteRate', 'corruptByteRate']
          .filter((k) => fault[k] !== undefined)
          .map((k) => [k, fault[k] as number]),
      );
      return { stimulus: { type: 'linkFault', ...disconnect, ...rates }, ...withPrompt };
    }
    const defaults: Record<(typeof STIMULUS_KINDS)[number], DeviceRole | undefined> = {
      mainsVoltage: 'ESME',
      power: 'ESME',
      ppmid: 'PPMID',
      supply: 'CH',
      hanFailureRate: undefined,
      linkFault: undefined,
      polarity: 'ESME',
      recover: 'ESME',
      replay: 'ESME',
      hanLogRemove: 'CH',
    };
    const needs: Partial<Record<(typeof STIMULUS_KINDS)[number], DeviceRole>> = {
      mainsVoltage: 'ESME',
      power: 'ESME',
      ppmid: 'PPMID',
      polarity: 'ESME',
      hanLogRemove: 'CH',
    };
    if (kind === 'replay' && !context.seen.has('sr') && !context.seen.has('migrate')) {
      // what is replayed is captured off the wire: something signed must have gone to the device first
      this.problem(
        [...path, kind],
        'a replay before any sr or migrate step',
        'an sr or migrate step earlier in the scenario that sends the device a signed command (6.11, 6.15.1, 6.23)',
        true,
      );
    }
    let device: DeviceRef | undefined;
    if (raw.device !== undefined) device = this.device(raw.device as string, [...path, 'device'], bench, needs[kind]);
    else if (defaults[kind] === undefined) this.problem(path, `"device" is missing`, `the device ${kind} applies to`);
    else
      device = this.device(
        defaults[kind] === 'CH' ? 'CHF' : defaults[kind]!,
        [...path, kind],
        bench,
        undefined,
        `${kind}'s default device`,
      );
    const stimulus: Stimulus = (() => {
      switch (kind) {
        case 'mainsVoltage':
          return { type: kind, voltage: raw.mainsVoltage as number };
        case 'power': {
          const power = raw.power as Json;
          return {
            type: kind,
            activePower: power.activePower as number,
            ...(power.powerFactor === undefined ? {} : { powerFactor: power.powerFactor as number }),
          };
        }
        case 'ppmid':
          return { type: 'ppmidPowerOn' };
        case 'supply':
          return { type: kind, state: raw.supply as 'cut' | 'restored' };
        case 'polarity':
          return { type: kind, reversed: raw.polarity === 'reversed' };
        case 'recover':
        case 'replay':
          return { type: kind };
        case 'hanLogRemove':
          // a device not of the bench is a problem recorded here, and a pack with problems is never run
          return { type: kind, removed: this.device(raw.hanLogRemove as string, [...path, kind], bench)! };
        case 'hanFailureRate':
        default:
          return { type: 'hanFailureRate', value: raw.hanFailureRate as number };
      }
    })();
    return { stimulus, ...(device ? { device } : {}), ...withPrompt };
  }

  // ---- migrate ----

  private migrate(raw: Json, path: Path, context: ScenarioContext): MigrateOptions {
    const bench = context.bench;
    if (raw.gasRetry === true) {
      if (!context.seen.has('migrate'))
        this.problem(
          [...path, 'gasRetry'],
          'a gas retry before any migrate step',
          'a migrate step earlier in the scenario (the one that migrated electricity only)',
          true,
        );
      for (const field of ['installation', ...INSTALLATION_OPTIONS]) {
        if (raw[field] !== undefined) {
          this.problem(
            [...path, field],
            `${field} with gasRetry: the retry is of the installation the first migrate step set up`,
            'gasRetry with fail only',
            true,
          );
        }
      }
    }
    const fail = ((raw.fail as Json[] | undefined) ?? []).map((entry, i) => {
      const at: Path = [...path, 'fail', i];
      const device =
        entry.device === undefined ? undefined : this.device(entry.device as string, [...at, 'device'], bench);
      if (entry.certificate !== undefined) {
        if (entry.step !== 'credentialSwap')
          this.problem(
            [...at, 'certificate'],
            `a certificate fault at the ${String(entry.step)} step, which sends no certificate`,
            'step credentialSwap',
            true,
          );
        if (entry.device === undefined)
          this.problem(
            at,
            'a certificate fault without a device',
            'the meter whose swap carries it: device ESME or GSME',
          );
        else if (device !== undefined && device.role !== 'ESME' && device.role !== 'GSME') {
          this.problem(
            [...at, 'device'],
            `${device.text} is ${article(device.role)} ${device.role}, whose slots no migration swaps`,
            'an ESME or a GSME',
          );
        }
      } else if (entry.slot !== undefined) {
        this.problem([...at, 'slot'], 'a slot without a certificate fault', 'certificate: untrusted with it', true);
      }
      return {
        step: entry.step as MigrationFault['step'],
        ...(device ? { device } : {}),
        attempts: (entry.attempts as number | undefined) ?? 1,
        ...pick(entry, ['certificate', 'slot']),
      } as MigrationFault;
    });
    return {
      installation: (raw.installation as MigrateOptions['installation'] | undefined) ?? bench.installation,
      ...pick(raw, [...INSTALLATION_OPTIONS, 'gasRetry']),
      fail,
    } as MigrateOptions;
  }

  // ---- expect ----

  private expectations(raw: Json, path: Path, context: ScenarioContext): Expectation[] {
    const out: Expectation[] = [];
    const bench = context.bench;
    for (const [kind, value] of Object.entries(raw)) {
      const at: Path = [...path, kind];
      const base = { position: this.locator.key(at), inverted: false };
      const body = value as Json;
      const device = (field = 'device', needs?: DeviceRole) =>
        body[field] === undefined ? undefined : this.device(body[field] as string, [...at, field], bench, needs);
      const after = (what: 'sr' | 'migrate', why: string) => {
        if (!context.seen.has(what))
          this.problem(
            at,
            `${why} before any ${what} step`,
            `${what === 'sr' ? 'an' : 'a'} ${what} step earlier in the scenario`,
            true,
          );
      };
      switch (kind) {
        case 'response':
          after('sr', 'a response expected');
          out.push({ ...base, kind, code: value as string });
          break;
        case 'messageSuccess':
          after('sr', 'a SMETS1 response expected');
          out.push({ ...base, kind, success: value as boolean });
          break;
        case 'alert':
        case 'noAlert': {
          const from = device();
          const code = body.code === undefined ? undefined : alertCode(body.code as number | string);
          const withinMs = parseDuration(body.within as string)!;
          if (kind === 'alert') out.push({ ...base, kind, code: code!, withinMs, ...(from ? { device: from } : {}) });
          else out.push({ ...base, kind, withinMs, ...(code ? { code } : {}), ...(from ? { device: from } : {}) });
          break;
        }
        case 'deviceState': {
          const needsCh = body.joined !== undefined ? 'CH' : body.supply !== undefined ? 'ESME' : undefined;
          const target = device('device', needsCh);
          const joined = (body.joined as string[] | undefined)?.map((ref, i) =>
            this.device(ref, [...at, 'joined', i], bench),
          );
          out.push({
            ...base,
            kind,
            device: target ?? placeholderRef,
            ...pick(body, ['migrationState', 'commissioned', 'supply']),
            ...(joined ? { joined: joined.map((ref) => ref ?? placeholderRef) } : {}),
          } as Expectation);
          break;
        }
        case 'slots': {
          const { device: _ref, ...holders } = body;
          out.push({ ...base, kind, device: device() ?? placeholderRef, holders: holders as Record<string, string> });
          break;
        }
        case 'smiStatus':
          out.push({ ...base, kind, device: device() ?? placeholderRef, status: body.status as never });
          break;
        case 'duration': {
          const of = body.of as Extract<Expectation, { kind: 'duration' }>['of'];
          after(of === 'sr' ? 'sr' : 'migrate', `the duration of ${of}`);
          const atLeastMs = body.atLeast === undefined ? undefined : parseDuration(body.atLeast as string)!;
          const atMostMs = body.atMost === undefined ? undefined : parseDuration(body.atMost as string)!;
          if (atLeastMs !== undefined && atMostMs !== undefined && atLeastMs > atMostMs) {
            this.problem(
              [...at, 'atMost'],
              `atMost ${body.atMost as string} is shorter than atLeast ${body.atLeast as string}`,
              'atLeast no longer than atMost',
            );
          }
          out.push({
            ...base,
            kind,
            of,
            ...(atLeastMs === undefined ? {} : { atLeastMs }),
            ...(atMostMs === undefined ? {} : { atMostMs }),
          });
          break;
        }
        case 'migration':
        default:
          after('migrate', 'a migration outcome expected');
          out.push({
            ...base,
            kind: 'migration',
            outcome: body.outcome as never,
            ...pick(body, ['attempts']),
          } as Expectation);
      }
    }
    return out;
  }

  // ---- devices ----

  /**
   * The bench device `text` names, checked against the bench (set count, PPMID present) and, when `needs` is
   * given, the kind of device the step needs. Undefined (and a problem recorded) when it names none.
   */
  private device(text: string, path: Path, bench: PackBench, needs?: DeviceRole, what?: string): DeviceRef | undefined {
    const ref = resolveDevice(text, bench);
    if (typeof ref === 'string') {
      this.problem(path, what ? `${what} ${ref}` : ref, deviceChoices(bench));
      return undefined;
    }
    if (needs !== undefined && ref.role !== needs) {
      this.problem(
        path,
        `${text} is ${article(ref.role)} ${ref.role}`,
        `${article(needs)} ${needs === 'CH' ? 'CHF' : needs}`,
      );
      return undefined;
    }
    return ref;
  }
}

/** What a scenario has done so far, for expectations that need an earlier step. */
class ScenarioContext {
  readonly seen = new Set<'sr' | 'migrate'>();
  constructor(readonly bench: PackBench) {}
}

/** Stands in for a reference already reported as a problem: the pack is never returned with it. */
const placeholderRef: DeviceRef = { text: '', role: 'CH', set: 0, eui: '' };

function alertCode(code: number | string): AlertCode {
  if (typeof code === 'number') return { kind: 'device', code };
  if (code.startsWith('0x')) return { kind: 'device', code: Number.parseInt(code.slice(2), 16) };
  return { kind: 'dcc', code };
}

/** A migrate step's options that set up the installation it migrates (a gas retry may not carry them: it retries that one). */
const INSTALLATION_OPTIONS = [
  'installationId',
  'gasSupplier',
  'splitSupplierFix',
  'firmware',
  'maxFailedAttempts',
  'gasHanFailure',
] as const;

function pick(raw: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]));
}
