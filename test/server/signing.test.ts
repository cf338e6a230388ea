import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import {
  amzDate,
  canonicalRequest,
  RESPONSE_VARIANTS,
  responseCanonical,
  signCanonical,
  signRequest,
  signResponse,
  verifyResponseSignature,
} from '../../src/server/signing.js';
import { DuplicateKeyError, parseSignedJson } from '../../src/server/signing-json.js';

const CANCEL_URL = 'https://amazonpay.amazon.in/v2/pay/cancel';
const SEED_HEADERS = {
  'x-amz-algorithm': 'AWS4-HMAC-SHA384',
  'x-amz-client-id': 'AMAZONMID123',
  'x-amz-date': '20240912T073125Z',
  'x-amz-expires': '900',
  'x-amz-source': 'Server',
  'x-amz-user-agent': 'POS',
  'x-amz-user-ip': '10.165.44.252',
};
const SEED_REQUEST_BODY = `{
  "cancelIntent": ["CANCEL_TOKEN", "REFUND"],
  "cancellationReason": "SESSION_EXPIRED",
  "chargeId": "AMZDQR1112LX1uh0mAH00000057soA12112",
  "chargeIdType": "MerchantTxnId",
  "merchantId": "AMAZONMID123",
  "noteToCustomer": "Session has expired"
}`;
const SEED_REQUEST_CANONICAL = [
  'POST',
  'amazonpay.amazon.in/v2/pay/cancel',
  '',
  'x-amz-algorithm=AWS4-HMAC-SHA384&x-amz-client-id=AMAZONMID123&x-amz-date=20240912T073125Z&x-amz-expires=900&x-amz-source=Server&x-amz-user-agent=POS&x-amz-user-ip=10.165.44.252',
  'cancelIntent=%5BCANCEL_TOKEN%2C%20REFUND%5D&cancellationReason=SESSION_EXPIRED&chargeId=AMZDQR1112LX1uh0mAH00000057soA12112&chargeIdType=MerchantTxnId&merchantId=AMAZONMID123&noteToCustomer=Session%20has%20expired',
].join('\n');
const SEED_RESPONSE_BODY =
  '{"merchantId":"A3714PM3OCWYFD","chargeId":"AMZDQR1112LX1uh0mAH00000057soA12112","amazonChargeId":"P04-9470662-5202780","status":"RefundApplicable","amount":1.0,"createTime":"2024-08-23T14:03:18.861Z","updateTime":"2024-08-23T14:03:24.179Z"}';
const SEED_RESPONSE_CANONICAL = [
  'POST',
  'amazonpay.amazon.in/v2/pay/cancel',
  '',
  'x-amz-algorithm=AWS4-HMAC-SHA384&x-amz-date=20240912T073127Z&x-amz-request-id=6507e380-9a5f-463e-b5c1-82f666e177dc',
  'amazonChargeId=P04-9470662-5202780&amount=1.0&chargeId=AMZDQR1112LX1uh0mAH00000057soA12112&createTime=2024-08-23T14%3A03%3A18.861Z&merchantId=A3714PM3OCWYFD&status=RefundApplicable&updateTime=2024-08-23T14%3A03%3A24.179Z',
].join('\n');
const SECRET = 'test-secret-key/with+odd=chars';

/** The body line of a canonical request for one JSON body. */
const bodyLine = (body: string) =>
  canonicalRequest({ method: 'POST', url: CANCEL_URL, amzHeaders: {}, body }).split('\n')[4];

/** HMAC-SHA384 by openssl, keyed with hex: an implementation independent of node:crypto's HMAC. */
function opensslHmac(hexKey: string, data: string): string {
  const out = execFileSync('openssl', ['dgst', '-sha384', '-mac', 'HMAC', '-macopt', `hexkey:${hexKey}`, '-r'], {
    input: data,
  });
  return out.toString().split(' ')[0];
}

describe('canonical requests', () => {
  it('reproduces the seed request canonical byte for byte', () => {
    const canonical = canonicalRequest({
      method: 'POST',
      url: CANCEL_URL,
      amzHeaders: SEED_HEADERS,
      body: SEED_REQUEST_BODY,
    });
    assert.equal(canonical, SEED_REQUEST_CANONICAL);
  });

  it('reproduces the seed response-verification canonical byte for byte, keeping 1.0 as 1.0', () => {
    const canonical = responseCanonical({
      method: 'POST',
      url: CANCEL_URL,
      requestId: '6507e380-9a5f-463e-b5c1-82f666e177dc',
      amzDate: '20240912T073127Z',
      bodyText: SEED_RESPONSE_BODY,
    });
    assert.equal(canonical, SEED_RESPONSE_CANONICAL);
  });

  it('sorts and encodes the query of a GET and leaves its body line empty', () => {
    const canonical = canonicalRequest({
      method: 'get',
      url: 'https://amazonpay.amazon.in/v2/pay/token?merchantOrderId=ORD%201&merchantId=MID',
      amzHeaders: { 'X-Amz-Date': '20240912T073125Z' },
    });
    assert.deepEqual(canonical.split('\n'), [
      'GET',
      'amazonpay.amazon.in/v2/pay/token',
      'merchantId=MID&merchantOrderId=ORD%201',
      'x-amz-date=20240912T073125Z',
      '',
    ]);
  });

  it("reproduces Amazon's GET example (ap-later Get charge status): the sorted query in line 3, line 5 empty", () => {
    const canonical = canonicalRequest({
      method: 'GET',
      url: 'https://amazonpay-sandbox.amazon.in/v1/payments/charge?txnIdType=MerchantTxnId&merchantId=A2XMNOQAN8MC64&txnId=order001',
      amzHeaders: {
        'x-amz-algorithm': 'AWS4-HMAC-SHA384',
        'x-amz-client-id': 'A2XMNOQAN8MC64',
        'x-amz-date': '20200906T055702Z',
        'x-amz-expires': '500',
        'x-amz-source': 'Browser',
        'x-amz-user-agent': 'Postman',
        'x-amz-user-ip': '52.95.75.13',
      },
    });
    assert.equal(
      canonical,
      [
        'GET',
        'amazonpay-sandbox.amazon.in/v1/payments/charge',
        'merchantId=A2XMNOQAN8MC64&txnId=order001&txnIdType=MerchantTxnId',
        'x-amz-algorithm=AWS4-HMAC-SHA384&x-amz-client-id=A2XMNOQAN8MC64&x-amz-date=20200906T055702Z&x-amz-expires=500&x-amz-source=Browser&x-amz-user-agent=Postman&x-amz-user-ip=52.95.75.13',
        '',
      ].join('\n'),
    );
  });

  it('keeps the port of a non-default host in line 2', () => {
    const canonical = canonicalRequest({
      method: 'POST',
      url: 'http://127.0.0.1:8787/sandbox/v2/pay/token',
      amzHeaders: {},
    });
    assert.equal(canonical.split('\n')[1], '127.0.0.1:8787/sandbox/v2/pay/token');
  });

  it("encodes per RFC 3986: space as %20, !'()* escaped, %40 encoded again, unicode as UTF-8", () => {
    assert.equal(bodyLine('{"a":"x y+z"}'), 'a=x%20y%2Bz');
    assert.equal(bodyLine(`{"a":"!'()*"}`), 'a=%21%27%28%29%2A');
    assert.equal(bodyLine('{"a":"vpa%40yapl"}'), 'a=vpa%2540yapl');
    assert.equal(bodyLine('{"a":"₹ धन्यवाद"}'), `a=${encodeURIComponent('₹ धन्यवाद')}`);
  });

  it('keeps number literals, leaves nulls out and flattens lists and objects', () => {
    assert.equal(bodyLine('{"b":100,"a":1.50,"c":1e2,"d":-0.5}'), 'a=1.50&b=100&c=1e2&d=-0.5');
    assert.equal(bodyLine('{"a":null,"b":"x","c":true}'), 'b=x&c=true');
    assert.equal(
      bodyLine('{"list":["A","B"],"obj":{"k":"v","k2":2}}'),
      'list=%5BA%2C%20B%5D&obj=%7Bk%3Dv%2C%20k2%3D2%7D',
    );
    assert.equal(bodyLine('{"nested":[{"k":[1,2]}],"empty":[]}'), 'empty=%5B%5D&nested=%5B%7Bk%3D%5B1%2C%202%5D%7D%5D');
  });

  it('reads escaped strings as their values and allows whitespace between tokens', () => {
    const body = ' {\n\t"q" : "say \\"hi\\"\\\\n" ,\r\n "r":[ "\\u20b9" , 1 ] , "k\\u0065y" : { "s" : "a\\/b" } } ';
    const { q, r, key } = JSON.parse(body) as { q: string; r: [string, number]; key: { s: string } };
    assert.equal(
      bodyLine(body),
      `key=${encodeURIComponent(`{s=${key.s}}`)}&q=${encodeURIComponent(q)}&r=${encodeURIComponent(`[${r[0]}, ${r[1]}]`)}`,
    );
  });

  it("prints a nested null member as k=null, as Java's Map.toString does, and leaves top-level nulls out", () => {
    assert.equal(
      bodyLine('{"top":null,"obj":{"k":null,"j":"v"},"list":[null,{"n":null}],"s":"null"}'),
      `list=${encodeURIComponent('[null, {n=null}]')}&obj=${encodeURIComponent('{k=null, j=v}')}&s=null`,
    );
  });

  it('refuses a key given twice in one object, at any depth, in every signed body', () => {
    for (const body of [
      '{"status":"FAILED","status":"SUCCESS"}',
      '{"a":{"k":1,"k":2}}',
      '{"a":[{"k":1},{"k":1,"k":2}]}',
      '{"a":1,"\\u0061":2}',
    ]) {
      assert.throws(() => bodyLine(body), DuplicateKeyError, body);
      assert.throws(() => parseSignedJson(body), DuplicateKeyError, body);
    }
    assert.deepEqual(parseSignedJson('{"a":{"k":1},"b":[{"k":1},{"k":2}]}'), { a: { k: 1 }, b: [{ k: 1 }, { k: 2 }] });
  });

  it('refuses a body that is not one JSON object', () => {
    for (const body of ['[1]', '{"a":1', '{"a":01}', '{"a":1} x', "{'a':1}"]) {
      assert.throws(() => bodyLine(body), SyntaxError, body);
    }
  });
});

describe('signatures', () => {
  it('formats x-amz-date as yyyyMMddTHHmmssZ in UTC', () => {
    assert.equal(amzDate(new Date('2024-12-30T23:59:07.123Z')), '20241230T235907Z');
  });

  it('matches an independent computation by openssl (key chain, string to sign, base64url)', () => {
    const date = '20240912T073125Z';
    const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
    const kDate = opensslHmac(hex(`AWS4${SECRET}`), '20240912');
    const kRegion = opensslHmac(kDate, 'eu-west-1');
    const kService = opensslHmac(kRegion, 'AmazonPay');
    const kSigning = opensslHmac(kService, 'aws4_request');
    const canonicalHash = execFileSync('openssl', ['dgst', '-sha384', '-r'], { input: SEED_REQUEST_CANONICAL })
      .toString()
      .split(' ')[0];
    const stringToSign = `AWS4-HMAC-SHA384\n${date}\n20240912/eu-west-1/AmazonPay/aws4_request\n${canonicalHash}`;
    const expected = Buffer.from(opensslHmac(kSigning, stringToSign), 'hex').toString('base64url');

    const signature = signCanonical(SEED_REQUEST_CANONICAL, { secretKey: SECRET, amzDate: date });
    assert.equal(signature, expected);
    assert.equal(signature.length, 64);
    assert.doesNotMatch(signature, /[+/=]/);
  });

  it("signs a call with the seed's seven x-amz headers and an Authorization over their canonical", () => {
    const headers = signRequest(
      { method: 'POST', url: CANCEL_URL, body: SEED_REQUEST_BODY, date: new Date('2024-09-12T07:31:25Z') },
      { merchantId: 'AMAZONMID123', accessKeyId: 'AKIDSEED', secretKey: SECRET, sourceIp: '10.165.44.252' },
    );
    const signature = signCanonical(SEED_REQUEST_CANONICAL, { secretKey: SECRET, amzDate: '20240912T073125Z' });
    assert.deepEqual(headers, { ...SEED_HEADERS, authorization: `AMZ+AKIDSEED:${signature}` });
  });

  it('depends on the region and service names', () => {
    const base = signCanonical(SEED_REQUEST_CANONICAL, { secretKey: SECRET, amzDate: '20240912T073125Z' });
    assert.notEqual(
      signCanonical(SEED_REQUEST_CANONICAL, { secretKey: SECRET, amzDate: '20240912T073125Z', region: 'ap-south-1' }),
      base,
    );
    assert.notEqual(
      signCanonical(SEED_REQUEST_CANONICAL, { secretKey: SECRET, amzDate: '20240912T073125Z', service: 'Other' }),
      base,
    );
  });
});

describe('response verification', () => {
  const signed = { method: 'POST', url: CANCEL_URL, bodyText: SEED_RESPONSE_BODY, secretKey: SECRET };
  const requestId = '6507e380-9a5f-463e-b5c1-82f666e177dc';
  const date = '20240912T073127Z';
  const goodSignature = signResponse({ ...signed, requestId, amzDate: date });
  const headers = (signature?: string, amzDateHeader = date) =>
    new Headers({
      'x-amz-request-id': requestId,
      'x-amz-date': amzDateHeader,
      ...(signature === undefined ? {} : { 'x-amz-signature': signature }),
    });
  const rejects = (run: () => void, code: string) =>
    assert.throws(
      run,
      (error: unknown) => error instanceof AmazonPayError && error.kind === 'signature' && error.code === code,
    );

  it('accepts a correctly signed response', () => {
    assert.doesNotThrow(() => verifyResponseSignature({ ...signed, headers: headers(goodSignature) }));
  });

  it('rejects a missing, wrong, truncated or other-date signature', () => {
    rejects(() => verifyResponseSignature({ ...signed, headers: headers() }), 'SignatureMissing');
    rejects(
      () => verifyResponseSignature({ ...signed, headers: headers(`${goodSignature.slice(0, -1)}A`) }),
      'SignatureInvalid',
    );
    rejects(
      () => verifyResponseSignature({ ...signed, headers: headers(goodSignature.slice(0, 40)) }),
      'SignatureInvalid',
    );
    rejects(
      () => verifyResponseSignature({ ...signed, headers: headers(goodSignature, '20240912T073128Z') }),
      'SignatureInvalid',
    );
  });

  it('rejects a body changed after signing', () => {
    const tampered = SEED_RESPONSE_BODY.replace('RefundApplicable', 'Approved');
    rejects(
      () => verifyResponseSignature({ ...signed, bodyText: tampered, headers: headers(goodSignature) }),
      'SignatureInvalid',
    );
  });

  it('rejects a signed body with a key twice: the verified status is the only one', () => {
    const twice = SEED_RESPONSE_BODY.replace(
      '"status":"RefundApplicable"',
      '"status":"RefundApplicable","status":"Approved"',
    );
    assert.throws(
      () => verifyResponseSignature({ ...signed, bodyText: twice, headers: headers(goodSignature) }),
      (error: unknown) => error instanceof AmazonPayError && /"status" twice/.test(error.message),
    );
  });

  it('rejects a signed body that is not JSON', () => {
    rejects(
      () => verifyResponseSignature({ ...signed, bodyText: '<html>', headers: headers(goodSignature) }),
      'SignatureInvalid',
    );
  });
});

describe('Get-status answer variants', () => {
  const url = 'https://amazonpay.amazon.in/v2/pay/token?merchantOrderId=ORD-1&merchantId=MID';
  const answer = { requestId: 'req-1', amzDate: '20240912T073127Z', bodyText: '{"status":"SUCCESS","amount":"1.00"}' };
  const headersFor = (signature: string) =>
    new Headers({ 'x-amz-request-id': answer.requestId, 'x-amz-date': answer.amzDate, 'x-amz-signature': signature });

  it("builds each variant's canonical: the method line GET or POST, line 3 empty or the sorted query", () => {
    const lines = (variant: (typeof RESPONSE_VARIANTS)[number]) =>
      responseCanonical({ method: 'GET', url, ...answer, variant }).split('\n');
    assert.deepEqual(lines('GET').slice(0, 3), ['GET', 'amazonpay.amazon.in/v2/pay/token', '']);
    assert.deepEqual(lines('POST').slice(0, 3), ['POST', 'amazonpay.amazon.in/v2/pay/token', '']);
    assert.deepEqual(lines('GET+query').slice(0, 3), [
      'GET',
      'amazonpay.amazon.in/v2/pay/token',
      'merchantId=MID&merchantOrderId=ORD-1',
    ]);
    assert.deepEqual(lines('POST+query').slice(0, 3), [
      'POST',
      'amazonpay.amazon.in/v2/pay/token',
      'merchantId=MID&merchantOrderId=ORD-1',
    ]);
    assert.deepEqual(lines('GET'), responseCanonical({ method: 'GET', url, ...answer }).split('\n'));
  });

  it('accepts an answer signed in any allowed variant, says which, and refuses the others', () => {
    for (const variant of RESPONSE_VARIANTS) {
      const signature = signResponse({ method: 'GET', url, ...answer, secretKey: SECRET, variant });
      const input = {
        method: 'GET',
        url,
        bodyText: answer.bodyText,
        secretKey: SECRET,
        headers: headersFor(signature),
      };
      assert.equal(verifyResponseSignature({ ...input, variants: RESPONSE_VARIANTS }), variant);
      const others = RESPONSE_VARIANTS.filter((other) => other !== variant);
      assert.throws(() => verifyResponseSignature({ ...input, variants: others }), { code: 'SignatureInvalid' });
      const wrongKey = { ...input, secretKey: 'another-secret', variants: RESPONSE_VARIANTS };
      assert.throws(() => verifyResponseSignature(wrongKey), { code: 'SignatureInvalid' });
    }
  });

  it('verifies a GET answer by the documented rule only, unless told the variants', () => {
    const asPost = signResponse({ method: 'GET', url, ...answer, secretKey: SECRET, variant: 'POST' });
    const input = { method: 'GET', url, bodyText: answer.bodyText, secretKey: SECRET, headers: headersFor(asPost) };
    assert.throws(() => verifyResponseSignature(input), { code: 'SignatureInvalid' });
    assert.equal(verifyResponseSignature({ ...input, variants: ['GET', 'POST'] }), 'POST');
  });
});
