/**
 * The S1SP's random choices, from the project's one generator (common/random.ts). Each defect draws from its
 * own stream, derived from the bench seed and the defect's name, so switching one defect's fix on does not shift the
 * draws of another. `S1spDefectDraws` is each seeded defect's decision as the adapter takes it (rate, fix switch,
 * threshold), one place, so a test can draw many times through exactly what the adapter asks.
 */
import { deriveSeed, nextRandom, type RandomState } from '../../common/random';
import type { S1spSettings } from './harnessQuirks';

class SeededDraws {
  private state: RandomState;

  constructor(seed: number, stream: string) {
    this.state = deriveSeed(seed, stream);
  }

  /** True with probability `rate`. */
  chance(rate: number): boolean {
    const [value, next] = nextRandom(this.state);
    this.state = next;
    return value < rate;
  }
}

export class S1spDefectDraws {
  private readonly cos: SeededDraws;
  private readonly responseCode: SeededDraws;
  private readonly wan: SeededDraws;

  constructor(private readonly settings: S1spSettings) {
    this.cos = new SeededDraws(settings.seed, 's1sp/61224');
    this.responseCode = new SeededDraws(settings.seed, 's1sp/91339');
    this.wan = new SeededDraws(settings.seed, 'wan/4.10');
  }

  /** 61224: this successful change of supplier's 0x8F70 is not sent (no draw with the fix on). */
  cosAlertMissing(): boolean {
    return !this.settings.fixes.has('cos-alert-always') && this.cos.chance(this.settings.cosAlertMissingRate);
  }

  /** 91339/91340: this response goes out without its ResponseCode (no draw with the fix on). */
  responseCodeMissing(): boolean {
    return (
      !this.settings.fixes.has('response-code-always') &&
      this.responseCode.chance(this.settings.missingResponseCodeRate)
    );
  }

  /** OPSG_34: a 4.10 response carrying `dataMs` of records is lost on the WAN when it holds 30 days or more. */
  wanLoses(dataMs: number): boolean {
    if (dataMs < this.settings.largeNetworkDataDays * 86_400_000) return false;
    return !this.wan.chance(this.settings.largeNetworkDataSuccessRate);
  }
}
