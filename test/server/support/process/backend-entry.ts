/**
 * A backend child process for the tests that kill and restart it: the same start-up as the
 * `amazonpay-dqr-backend` command, configured from the environment, with one thing no setting
 * offers: trusting the test sandbox's origin (`DQR_TEST_SNS_ORIGIN`) for SNS signing certificates.
 */
import { ConfigError } from '../../../../src/server/config/index.js';
import { startServer } from '../../../../src/server/start.js';
import { StoreSetupError } from '../../../../src/server/store/setup-error.js';

const origin = process.env.DQR_TEST_SNS_ORIGIN;
try {
  const server = await startServer({ trustedIpnOrigins: origin ? () => [origin] : undefined });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof StoreSetupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
