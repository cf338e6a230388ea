/** An error the sandbox answers the way Amazon Pay does: an HTTP status and `{code, message}`. */
export class AmazonApiError extends Error {
  override readonly name = 'AmazonApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get body() {
    return { code: this.code, message: this.message };
  }
}
