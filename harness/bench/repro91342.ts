/**
 * Defect 91342 end to end through DUIS: the PPMID is powered on (it tries to join the HAN at once, then every 60 s),
 * 90 s later the supplier sends an 8.11 Add for it with a JoinTimePeriod, and the bench runs on virtual time until the
 * PPMID has joined or ten minutes have passed. One run per (JoinTimePeriod, clamp-join-period on/off); the report
 * shows the device's answer, the DUIS responses and alerts, and every join attempt with its time after power-on.
 *
 * Documented behaviour (primer, 91342; SECP_74_1511_06): an Elster CH rejects an 8.11 whose join period is over
 * 255 s, so the PPMID cannot join; the fix is the S1SP changing a period over 255 s to 255 s.
 */
import { RTDS_DEVICES, RTDS_USERS } from '../dsp/registrationData';
import { readDuisResponse } from '../duis/responseReader';
import { setRequestElements } from '../duis/templateElements';
import type { DuisOutput } from '../s1sp/adapter';
import { s1spSettings, type FixSwitch } from '../s1sp/harnessQuirks';
import { ELSTER_JOIN_PERIOD_LIMIT, type Vendor } from '../s1sp/vendors';
import type { Assumption } from '../../common/assumptions';
import { assumptionsOfBenches, assumptionsInForce, type AssumedValue } from './assumptionsInForce';
import { DuisBench } from './duisBench';
import { findTemplate } from './rtdsTemplates';

const S = 1000;
const JOIN_FAILED = 0x8f48;
const JOIN_SUCCEEDED = 0x8f49;
const JOINED_SMHAN = 0x8183;
/** When the 8.11 is sent, after power-on. */
export const REQUEST_AFTER_MS = 90 * S;
/** How long after the 8.11 the run waits for the PPMID to join. */
const WATCH_MS = 10 * 60 * S;

export interface JoinAttempt {
  /** ms after the PPMID's power-on. */
  readonly at: number;
  readonly code: number;
}

export interface ReproRun {
  readonly vendor: Vendor;
  readonly joinTimePeriod: number;
  readonly clamp: boolean;
  /**
   * The joinPeriod of the hanLogAdd the CH received, as the device end of the link decoded it (after the S1SP's
   * clamp, if on); none if no hanLogAdd reached it.
   */
  readonly receivedByCh?: number;
  /** The DUIS documents of the 8.11: I99, the SMETS1 response, N24. */
  readonly responses: readonly DuisOutput[];
  readonly messageSuccess: boolean;
  /** The SMETS1Debug entry of a refused 8.11: the device status byte and its text. */
  readonly debug?: { readonly responseCode: number; readonly error: string };
  /** Device alerts (GBCS codes) the S1SP sent from the 8.11 to the end of the run. */
  readonly alertCodes: readonly number[];
  /** The PPMID's join attempts as the CH reported them (0x8F48 failed, 0x8F49 succeeded), ms after power-on. */
  readonly attempts: readonly JoinAttempt[];
  /** ms after power-on of the CH's 0x8F48 for the refused 8.11 itself, if it refused it. */
  readonly refusalAlertAt?: number;
  /** ms after the 8.11 was sent when the PPMID joined the SMHAN (0x8183), if it did. */
  readonly joinedAfterRequest?: number;
  /** The assumed values its bench ran on. */
  readonly assumptions: readonly Assumption[];
}

/** The 8.11 Add of the RTDS template CCS01, for the PPMID, with this JoinTimePeriod and counter. */
function hanLogAddRequest(joinTimePeriod: number, counter: number): string {
  const template = findTemplate('CCS01_8.11_SUCCESS');
  if (template === undefined)
    throw new Error('RTDS template CCS01_8.11_SUCCESS is missing from @smartdcc/duis-templates');
  return setRequestElements(
    template.xml,
    [
      ['RequestID', `${RTDS_USERS.supplier}:${RTDS_DEVICES.chf}:${counter}`],
      ['DeviceID', RTDS_DEVICES.ppmid],
      ['JoinTimePeriod', String(joinTimePeriod)],
    ],
    'RTDS template CCS01_8.11_SUCCESS',
  );
}

export async function runRepro91342(input: {
  vendor: Vendor;
  joinTimePeriod: number;
  clamp: boolean;
  seed?: number;
}): Promise<ReproRun> {
  const seed = input.seed ?? 1;
  // 91339/91340 off so that every response here carries its code: this run is about 91342 alone
  const s1sp = {
    fixes: new Set<FixSwitch>(input.clamp ? ['clamp-join-period', 'response-code-always'] : ['response-code-always']),
  };
  const assumptions = assumptionsInForce({
    vendor: input.vendor,
    emulatedDevices: true,
    s1sp: s1spSettings({ seed, ...s1sp }),
    migrated: false,
  });
  const bench = await DuisBench.start({ vendor: input.vendor, seed, s1sp });
  try {
    const ppmid = bench.sets[0].euis.PPMID!;
    const ch = bench.sets[0].euis.CH!;
    const received: number[] = [];
    bench.deviceHost?.on('message', ({ destination, message }) => {
      if (destination === ch && message.type === 'hanLogAdd') received.push(message.joinPeriod);
    });
    const poweredOn = bench.clock.now();
    const power = await bench.command(ppmid, { type: 'powerOn' });
    if (power.status !== 'ok') throw new Error(`PPMID ${ppmid} refused powerOn: ${power.status}`);
    await bench.advance(poweredOn + REQUEST_AFTER_MS - bench.clock.now());
    const alertsFrom = bench.alerts.length;
    const sentAt = bench.clock.now();
    const { responses } = await bench.send(hanLogAddRequest(input.joinTimePeriod, sentAt));
    const joined = () => bench.deviceAlerts.some((a) => a.code === JOINED_SMHAN);
    const deadline = sentAt + WATCH_MS;
    await bench.until(() => joined() || bench.clock.now() >= deadline, 'the PPMID to join');
    // the device's answer: the response whose SMETS1Response carries the 8.11's UpdateHANDeviceLogRsp
    const answer = responses.map((r) => readDuisResponse(r.xml).smets1).find((s) => s?.rsp !== undefined);
    const debug = answer?.debug;
    const ppmidPayload = ppmid.replaceAll('-', '').toLowerCase();
    const joinedAlert = bench.deviceAlerts.find((a) => a.code === JOINED_SMHAN);
    const joinAlerts = bench.deviceAlerts.filter(
      (a) =>
        (a.code === JOIN_FAILED || a.code === JOIN_SUCCEEDED) &&
        a.payload.toLowerCase() === ppmidPayload &&
        a.at <= deadline,
    );
    // the CH answers a refused 8.11 with 0x8F48 at once: on the loopback link that is the instant the 8.11 was sent
    const refusal = debug === undefined ? undefined : joinAlerts.find((a) => a.code === JOIN_FAILED && a.at === sentAt);
    return {
      vendor: input.vendor,
      joinTimePeriod: input.joinTimePeriod,
      clamp: input.clamp,
      ...(received.length === 0 ? {} : { receivedByCh: received.at(-1)! }),
      responses,
      messageSuccess: answer?.rsp?.messageSuccess === true,
      ...(debug === undefined ? {} : { debug: { responseCode: Number(debug.responseCode), error: debug.error } }),
      alertCodes: bench.alerts
        .slice(alertsFrom)
        .filter((a) => a.at <= deadline)
        .map((a) => Number.parseInt(readDuisResponse(a.xml).smets1?.alertCode ?? '0', 16)),
      attempts: joinAlerts.filter((a) => a !== refusal).map((a) => ({ at: a.at - poweredOn, code: a.code })),
      ...(refusal === undefined ? {} : { refusalAlertAt: refusal.at - poweredOn }),
      ...(joinedAlert === undefined ? {} : { joinedAfterRequest: joinedAlert.at - sentAt }),
      assumptions,
    };
  } finally {
    await bench.close();
  }
}

export interface ReproReport {
  readonly runs: readonly ReproRun[];
  /** The assumed values the runs' benches used, each once. */
  readonly assumptions: readonly AssumedValue[];
  readonly reproduced: boolean;
  /** One line per expectation: what was expected and whether it held. */
  readonly checks: readonly { readonly expectation: string; readonly held: boolean }[];
}

/** The four runs (fix off: 255, 256, 300; fix on: 300) and the verdict against the documented behaviour. */
export async function repro91342(vendor: Vendor, seed = 1): Promise<ReproReport> {
  const runs: ReproRun[] = [];
  for (const [joinTimePeriod, clamp] of [
    [255, false],
    [256, false],
    [300, false],
    [300, true],
  ] as const) {
    runs.push(await runRepro91342({ vendor, joinTimePeriod, clamp, seed }));
  }
  const [at255, at256, at300, clamped] = runs;
  const refused = (run: ReproRun) =>
    !run.messageSuccess &&
    run.debug?.error === 'hanLogAdd answered invalidParameter' &&
    run.refusalAlertAt !== undefined &&
    run.joinedAfterRequest === undefined;
  const checks = [
    {
      expectation: 'fix off, 255 s: accepted and the PPMID joins',
      held: at255.messageSuccess && at255.joinedAfterRequest !== undefined,
    },
    {
      expectation: 'fix off, 256 s: refused by the CH (invalidParameter, 0x8F48), the PPMID never joins',
      held: refused(at256),
    },
    {
      expectation: 'fix off, 300 s: refused by the CH (invalidParameter, 0x8F48), the PPMID never joins',
      held: refused(at300),
    },
    {
      expectation: `fix on, 300 s: clamped to ${ELSTER_JOIN_PERIOD_LIMIT} s, accepted, the PPMID joins inside ${ELSTER_JOIN_PERIOD_LIMIT} s`,
      held:
        clamped.receivedByCh === ELSTER_JOIN_PERIOD_LIMIT &&
        clamped.messageSuccess &&
        clamped.joinedAfterRequest !== undefined &&
        clamped.joinedAfterRequest <= ELSTER_JOIN_PERIOD_LIMIT * S,
    },
  ];
  return {
    runs,
    checks,
    reproduced: checks.every((c) => c.held),
    assumptions: assumptionsOfBenches(runs.map((run) => run.assumptions)),
  };
}
