/**
 * Payment notifications as Amazon Pay sends them: AWS SNS HTTP deliveries (`text/plain` JSON
 * envelopes) signed with SHA256withRSA, retried without a 200. The signing key is the sandbox's
 * own, one per process (an RSA key takes a good part of a second to make); its public half is
 * served at `SigningCertURL`, where SNS serves its certificate.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from '../sns.js';

/** The SNS topic the sandbox's notifications claim to come from. */
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:000000000000:amazonpay-dqr-sandbox';

let processKeys: { privateKey: KeyObject; publicPem: string } | undefined;

/** The sandbox's SNS signing key, made on first use. */
function signingKeys() {
  if (!processKeys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    processKeys = { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }
  return processKeys;
}

/** Where and how notifications are delivered. */
export interface NotifierOptions {
  /** Where notifications go (the backend's `/ipn`); nothing is sent while it is undefined. */
  ipnUrl: () => string | undefined;
  /** Attempts after the first, and the wait between them (SNS: 3, 20 s). */
  retries: number;
  retryDelayMs: number;
  fetch: typeof fetch;
  now: () => number;
}

/** Signs and delivers SNS messages, and lets the sandbox wait for or end deliveries in flight. */
export class Notifier {
  /** Waits between retries, each with what ends it early when the sandbox closes. */
  private readonly waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  private readonly deliveries = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: NotifierOptions) {}

  /** The PEM served at the signing certificate URL. */
  get publicKeyPem(): string {
    return signingKeys().publicPem;
  }

  /** Signs an envelope the way SNS does (SignatureVersion 2). */
  private envelope(
    fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'MessageId' | 'Timestamp' | 'TopicArn'>,
  ): SnsMessage {
    const message = {
      ...fields,
      MessageId: randomUUID(),
      TopicArn: TOPIC_ARN,
      Timestamp: new Date(this.options.now()).toISOString(),
      SignatureVersion: '2',
      Signature: '',
    } as SnsMessage;
    message.Signature = sign(
      'sha256',
      Buffer.from(snsStringToSign(message), 'utf8'),
      signingKeys().privateKey,
    ).toString('base64');
    return message;
  }

  /** Sends a payment notification for `payload` to the backend. */
  notify(payload: Record<string, unknown>, certUrl: string) {
    const message = this.envelope({
      Type: 'Notification',
      Message: JSON.stringify(payload),
      Subject: 'Amazon Pay DQR payment',
      SigningCertURL: certUrl,
      UnsubscribeURL: `${certUrl.replace(/cert\.pem$/, 'unsubscribe')}`,
    });
    return this.deliver(message);
  }

  /** Sends the first message SNS sends a new endpoint: visit `SubscribeURL` to confirm it. */
  sendSubscriptionConfirmation(subscribeUrl: string, certUrl: string) {
    return this.deliver(
      this.envelope({
        Type: 'SubscriptionConfirmation',
        Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}. To confirm the subscription, visit the SubscribeURL included in this message.`,
        Token: randomUUID().replaceAll('-', ''),
        SubscribeURL: subscribeUrl,
        SigningCertURL: certUrl,
      }),
    );
  }

  /** Posts `message`, retrying on anything but a 2xx; resolves with whether it was accepted. */
  private deliver(message: SnsMessage): Promise<boolean> {
    const url = this.options.ipnUrl();
    if (!url || this.closed) return Promise.resolve(false);
    const attempt = async (left: number): Promise<boolean> => {
      const accepted = await this.options
        .fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain; charset=UTF-8',
            'x-amz-sns-message-type': message.Type,
            'x-amz-sns-message-id': message.MessageId,
            'x-amz-sns-topic-arn': TOPIC_ARN,
          },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(15_000),
        })
        .then(
          (response) => response.ok,
          () => false,
        );
      if (accepted || left === 0 || this.closed) return accepted;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waits.delete(timer);
          resolve();
        }, this.options.retryDelayMs);
        timer.unref();
        this.waits.set(timer, resolve);
      });
      return this.closed ? false : attempt(left - 1);
    };
    const delivery = attempt(this.options.retries);
    const tracked = delivery.then(() => undefined);
    this.deliveries.add(tracked);
    void tracked.finally(() => this.deliveries.delete(tracked));
    return delivery;
  }

  /** Resolves when every notification in flight has been delivered or given up. */
  async settled(): Promise<void> {
    while (this.deliveries.size) await Promise.all(this.deliveries);
  }

  close() {
    this.closed = true;
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
  }
}
