/** The least a production configuration needs besides its terminals: credentials and the SNS topic. */
export const PRODUCTION_CREDENTIALS = {
  AMAZON_PAY_MODE: 'production',
  AMAZON_PAY_MERCHANT_ID: 'MID',
  AMAZON_PAY_ACCESS_KEY_ID: 'KEY',
  AMAZON_PAY_SECRET_KEY: 'SECRET',
  AMAZON_PAY_STORE_ID: 'STORE',
  AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
};
