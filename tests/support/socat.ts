/**
 * Whether socat is on PATH, for the tests that need a kernel pty pair from it. CI (.ci/run, as root) installs socat,
 * so there they always run; on a box without it each file skips its pty tests and says once which ones.
 *
 * Call as `needsSocat('<file>: <the tests it skips>')` with the description on one line: .ci/run greps these calls
 * to list the skipped tests when it cannot install socat.
 */
import { execFileSync } from 'node:child_process';

const socatInstalled: boolean = (() => {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** True when socat is installed; otherwise warns that `skipped` are skipped and returns false. */
export function needsSocat(skipped: string): boolean {
  if (!socatInstalled)
    console.warn(`socat is not installed (apt-get install socat; .ci/run installs it as root): skipping ${skipped}`);
  return socatInstalled;
}
