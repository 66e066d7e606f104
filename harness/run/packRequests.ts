/**
 * The DUIS request of a pack's `sr` step (docs/packs.md): an SR by number (the RTDS request template of that SRV,
 * a SUCCESS one first), a template by name, or a file, with the step's body elements set and a RequestID for the
 * step's user and target. Element values are set on the first element of that name, as docs/packs.md says.
 */
import { REMOTE_PARTY_ROLES } from '../../common/credentials/roles';
import type { TestParty } from '../../common/credentials/testPki';
import { benchParty } from '../../emulator/host/benchPki';
import { findTemplate, srvTemplate } from '../bench/rtdsTemplates';
import { RTDS_DEVICES, RTDS_USERS } from '../dsp/registrationData';
import { certificateBase64 } from '../duis/certificateBase64';
import { setRequestElements, type ElementValue } from '../duis/templateElements';
import type { DeviceRole, PackBench, PartyCertificate, ServiceRequest, UserRole } from '../packs/model';

/** The install code `bench.installCodes` gives the device at `eui`; undefined if it gives none (the template's stays). */
function installCodeOf(bench: Pick<PackBench, 'euis' | 'installCodes'>, eui: string): string | undefined {
  for (const [set, euis] of bench.euis.entries()) {
    for (const role of ['ESME', 'GSME', 'PPMID'] as const)
      if (euis[role] === eui) return bench.installCodes[set]?.[role];
  }
  return undefined;
}

/** The RTDS user id a role sends as: the supplier roles as the RTDS supplier, the others as the network operator (assumed: RTDS has these two users). */
function userId(role: UserRole): string {
  return role === 'IS' || role === 'GS' ? RTDS_USERS.supplier : RTDS_USERS.networkOperator;
}

/**
 * The certificate the bench's PKI (`smso-<seed>`, the one every device's root slot trusts) issues for a party, with
 * issueTestCertificate's default key label: the same party a bench `slots` entry of that entity id installs.
 */
export function partyCertificate(certificate: PartyCertificate, seed: number): TestParty {
  return benchParty(`smso-${seed}`, REMOTE_PARTY_ROLES[certificate.role], certificate.party);
}

/** The bench role of each RTDS template device id: a template's own target, on a bench of other EUIs, is that role's. */
const RTDS_ROLES: Readonly<Record<string, DeviceRole>> = {
  [RTDS_DEVICES.esme]: 'ESME',
  [RTDS_DEVICES.gsme]: 'GSME',
  [RTDS_DEVICES.chf]: 'CH',
  [RTDS_DEVICES.ppmid]: 'PPMID',
};

/**
 * The XML of an `sr` step; `counter` makes the RequestID unique and increasing; `seed` the bench PKI's (for
 * `certificate`); the bench's `devices`, when it has its own (a bench of real devices): `euis` where a template's own
 * target is, `installCodes` what an 8.11 Add of a device carries unless the step's params give one.
 */
export function requestXml(
  request: ServiceRequest,
  counter: number,
  seed: number,
  devices?: Pick<PackBench, 'euis' | 'installCodes'>,
): { xml: string; label: string } {
  if (request.source === 'file') return { xml: request.xml, label: request.path };
  const template = request.source === 'template' ? findTemplate(request.template) : srvTemplate(request.srv);
  if (template === undefined)
    throw new Error(
      request.source === 'template'
        ? `no RTDS template ${request.template}`
        : `no RTDS template for SRV ${request.srv}`,
    );
  const where = `RTDS template ${template.name}`;
  const target = request.target?.eui;
  const [originator, oldTarget] = template.requestId.split(':');
  const user = request.user === undefined ? originator : userId(request.user);
  const ownRole = RTDS_ROLES[oldTarget!];
  const ownTarget =
    ownRole === undefined || devices === undefined ? oldTarget : (devices.euis[0]![ownRole] ?? oldTarget);
  const values: ElementValue[] = [['RequestID', `${user}:${target ?? ownTarget}:${counter}`]];
  for (const [name, value] of Object.entries(request.params)) values.push([name, String(value)]);
  const joining =
    template.srv === '8.11' &&
    request.params.RequestType !== 'Remove' &&
    request.params.InstallCode === undefined &&
    devices !== undefined
      ? installCodeOf(devices, String(request.params.DeviceID))
      : undefined;
  if (joining !== undefined) values.push(['InstallCode', joining.toUpperCase()]);
  if (request.certificate !== undefined) {
    const der = partyCertificate(request.certificate, seed).certificate;
    values.push(['DigitalSigningCertificate', certificateBase64(der)]);
  }
  const xml = setRequestElements(template.xml, values, where);
  return { xml, label: `${template.srv} ${template.srName || template.name}`.trim() };
}
