/**
 * Alert behaviour (SR 6.22 Configure Alert Behaviour): which configurable alerts a device lets out.
 *
 * Each configurable alert has one owner, the party that receives it and may switch it (supplier or network
 * operator), the same shape as the ESME profile's `EsmeAlertDefault`. Alerts not in the table (log changed,
 * join outcomes, security alerts) are not configurable and are always emitted. A disabled alert is still logged.
 */
export type AlertOwner = 'supplier' | 'networkOperator';

export interface AlertSetting {
  code: number;
  owner: AlertOwner;
  enabled: boolean;
}

export interface AlertChange {
  code: number;
  enabled: boolean;
}

export type AlertBehaviourResult =
  { ok: true; settings: AlertSetting[] } | { ok: false; status: 'invalidParameter' | 'notAuthorised'; reason: string };

export function isAlertEmitted(settings: readonly AlertSetting[], code: number): boolean {
  return settings.find((setting) => setting.code === code)?.enabled ?? true;
}

function isAlertOwner(value: unknown): value is AlertOwner {
  return value === 'supplier' || value === 'networkOperator';
}

/**
 * Applies one 6.22 request: all of it or nothing. A code the device does not raise is invalidParameter; a code
 * owned by the other party is notAuthorised (a DNO cannot silence the supplier's load-limit alert).
 */
export function applyAlertBehaviour(
  settings: readonly AlertSetting[],
  owner: unknown,
  changes: unknown,
): AlertBehaviourResult {
  if (!isAlertOwner(owner))
    return { ok: false, status: 'invalidParameter', reason: 'owner must be supplier or networkOperator' };
  if (!Array.isArray(changes) || changes.length === 0) {
    return { ok: false, status: 'invalidParameter', reason: 'alerts must be a non-empty list' };
  }
  let next = [...settings];
  for (const change of changes as AlertChange[]) {
    if (typeof change?.code !== 'number' || typeof change.enabled !== 'boolean') {
      return { ok: false, status: 'invalidParameter', reason: 'each alert is {code, enabled}' };
    }
    const index = next.findIndex((setting) => setting.code === change.code);
    if (index < 0)
      return { ok: false, status: 'invalidParameter', reason: `alert ${change.code} is not configurable here` };
    if (next[index].owner !== owner) {
      return { ok: false, status: 'notAuthorised', reason: `alert ${change.code} belongs to the ${next[index].owner}` };
    }
    next = next.map((setting, i) => (i === index ? { ...setting, enabled: change.enabled } : setting));
  }
  return { ok: true, settings: next };
}
